"""tools/busybox_cases.py: the busybox suite's cases, for tools/realtests.py.

Each case runs the same busybox-static:i386 binary on this Linux host and
under anvil; standard output and exit status must be identical.  Cases
that touch files run in a fresh `mktemp -d` directory and print only
relative names, so the host's and anvil's temporary paths never show.
"""


def sh(script):
    return ["sh", "-c", script]


def scratch(script):
    """script run in a fresh temporary directory, removed afterwards; its status kept."""
    return sh("umask 022; d=$(mktemp -d) && cd \"$d\" || exit 99\n{\n%s\n}\ns=$?; cd /; "
              "rm -rf \"$d\"; exit $s" % script)


def lines(n):
    return b"".join(b"line %d of the standard input\n" % i for i in range(n))


# (name, arguments, stdin bytes or None, the exit status Linux gives)
CASES = [
    # the shell: signals, jobs, loops, pipes
    ("trap", sh("trap 'echo got USR1' USR1; kill -USR1 $$; echo after; exit 3"), None, 3),
    ("kill-job", sh("sleep 10 & kill $!; wait $!; echo status $?"), None, 0),
    ("loop", sh("i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; echo $i"), None, 0),
    ("pipe", sh("seq 1 20000 | md5sum; echo $(( $(echo 6) * 7 ))"), None, 0),
    ("dd", sh("dd if=/dev/zero bs=4096 count=512 2>/dev/null | md5sum"), None, 0),
    ("functions", sh("f() { echo \"f:$1:$#\"; return 3; }; f a b; echo $?\n"
                     "fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) ));"
                     " fi; }; fact 10\n"
                     "g() { local x=5; x=$((x + $1)); echo $x; }; x=1; g 37; echo $x"), None, 0),
    ("subshell", sh("x=1; (x=2; echo in $x); echo out $x; (exit 4); echo $?\n"
                    "echo $(echo $(echo nested) deep); (cd /; pwd); y=$( (echo a; echo b) | wc -l);"
                    " echo $y"), None, 0),
    ("heredoc", sh("n=2\ncat <<EOF\nline $((n + 1)) \\$n\n  $n indented\nEOF\n"
                   "cat <<'EOF'\n$n stays $(not run)\nEOF\n"
                   "cat <<-EOF\n\ttab stripped $n\n\tEOF\n"
                   "while read a b; do echo \"<$b|$a>\"; done <<EOF\none 1\ntwo 2\nEOF"), None, 0),
    ("case-for", sh("for i in apple b1 c 42; do case $i in a*) echo A:$i;; [0-9]*) echo num;;"
                    " b?) echo B;; *) echo other $i;; esac; done"), None, 0),
    ("params", sh("set -- a 'b c' d; echo $#; for p in \"$@\"; do echo \"[$p]\"; done; shift 2;"
                  " echo $*; x=dir/file.tar.gz; echo ${#x} ${x%.*} ${x%%.*} ${x#*/} ${x##*.}"
                  " ${unset:-def} ${x:4:4}"), None, 0),
    ("arith-logic", sh("echo $((7*6)) $((1<<10)) $((17%5)) $(((3+4)*2)) $((-7/2)) $((0x1f));"
                       " false || echo or; true && echo and; ! false; echo $?;"
                       " [ 3 -gt 2 -a abc != abd ] && echo test-ok"), None, 0),
    ("redirect", scratch("{ echo a; echo b; } > f; echo app >> f; wc -l < f; exec 3>g;"
                         " echo via3 >&3; exec 3>&-; cat g; echo err 2>/dev/null 1>&2; cat f h"
                         " 2>/dev/null; echo status $?"), None, 0),
    ("getopts", sh("while getopts ab:c o -a -b val -c rest; do echo \"$o=${OPTARG:-}\"; done;"
                   " echo $OPTIND"), None, 0),
    ("exit-status", sh("sh -c 'exit 7'; echo $?; sh -c 'kill -9 $$'; echo $?;"
                     " sh -c 'exit 300'; echo $?"),
     None, 0),
    # text tools
    ("awk", ["awk", "BEGIN { for (i = 1; i <= 30; i++) s += i * i / 7; "
             "printf \"%.6f %.4e %d\\n\", s, s * 1e10 / 3, s }"], None, 0),
    ("awk-fields", ["awk", "-F:", "{ s += $2; c[$1]++ } END { print s, length(c); "
                    "print toupper(substr($0, 1, 3)) }"], b"a:3\nb:4\na:5\n", 0),
    ("sort", ["sort", "-n"], b"".join(b"%d\n" % ((i * 7919) % 1000) for i in range(1000)), 0),
    ("sort-keys", sh("printf 'b,3\\na,10\\nc,2\\na,1\\n' | sort -t, -k2 -n -r; printf 'b\\na\\nb\\n'"
                     " | sort -u; printf '10\\n9\\n100\\n' | sort"), None, 0),
    ("sed", ["sed", "-e", "s/[aeiou]/_/g", "-e", "3d"], lines(200), 0),
    ("sed-inplace", scratch("printf 'alpha\\nbeta\\ngamma\\n' > f; sed -i -e 's/a/A/g' -e '/beta/d'"
                            " f; cat f; sed -n '2p' f"), None, 0),
    ("cat", scratch("printf 'x\\ny\\n' > a; printf 'z\\n' > b; cat a b; cat -n a b; cat - a"
                    " < b"), None, 0),
    ("wc", sh("seq 1 1000 | wc; printf 'hello world\\nfoo\\n' | wc -w -l -c"), None, 0),
    ("head-tail", scratch("seq 100 > f; head -n 3 f; head -c 10 f; tail -n 3 f; tail -c 8 f;"
                          " tail -n +98 f; seq 5 | tail -1"), None, 0),
    ("cut", sh("printf 'a:b:c\\nd:e:f\\n' | cut -d: -f2,3; echo abcdef | cut -c 2-4;"
               " echo 'x y z' | cut -d' ' -f1,3"), None, 0),
    ("tr", sh("echo 'Hello World' | tr a-z A-Z; echo aabbccdd | tr -s ab; echo hello | tr -d l;"
              " echo abc | tr abc xyz"), None, 0),
    ("uniq", sh("printf 'a\\na\\nb\\nc\\nc\\nc\\n' |"
                " uniq -c; printf 'a\\na\\nb\\n' | uniq -d; printf 'a\\na\\nb\\n' | uniq -u"),
     None, 0),
    ("grep", sh("seq 1 200 | grep -E '^1[0-9]$' | tr '\\n' ' '; echo; seq 1 30 | grep -c 3;"
                " seq 1 12 | grep -n -v 1; echo abc | grep -q x; echo $?"), None, 0),
    ("text-misc", sh("seq 5 | tac; echo abc | rev; seq 4 | paste - -; echo aaaaaaaaaa | fold -w 3;"
                     " seq 3 | nl; basename /a/b/c.txt .txt; dirname /a/b/c"), None, 0),
    ("od", sh("printf 'AB\\001\\377\\n' | od -c; printf 'ABCDEFGH' | od -An -tx1;"
              " printf 'ABCD' | od -x; printf 'hello' | xxd"), None, 0),
    ("expr", sh("expr 3 + 4 \\* 5; expr length hello; expr substr hello 2 3; expr 10 / 3;"
                " expr index hello l; expr abc : 'a\\(.\\)'; expr 1 = 2; echo $?"), None, 0),
    ("seq", sh("seq 5; seq 2 3 20; seq -s, 1 5; seq -w 8 11; seq 3 -1 1"), None, 0),
    ("printf", sh("printf '%5d|%-5s|%x|%o|%c|%%\\n' 42 ab 255 8 Z; printf '%s\\n' a b c;"
                  " printf '%03d %.2f %e\\n' 7 3.14159 12345.678"), None, 0),
    ("checksums", sh("seq 1 10000 | sha256sum; seq 1 10000 | sha1sum;"
                     " echo hello | base64; echo aGVsbG8K | base64 -d; echo hi | crc32"), None, 0),
    ("xargs", sh("seq 1 10 | xargs echo; seq 1 10 | xargs -n 3 echo; printf 'a b\\nc\\n' |"
                 " xargs -I{} echo [{}]"), None, 0),
    # the vfork child's failed exec reaches the parent through their shared memory
    ("exec-missing", sh("echo a | xargs nonexistent-cmd 2>/dev/null; echo xargs $?;"
                        " env nonexistent-cmd 2>/dev/null; echo env $?"), None, 0),
    # files and directories
    ("cp", scratch("printf 'one\\ntwo\\n' > a; cp a b; mkdir d; cp a b d; cat d/b; ls d;"
                   " cp nonexistent x 2>/dev/null; echo $?"), None, 0),
    ("cp-r", scratch("mkdir -p s/x/y; echo deep > s/x/y/f; cp -r s t; cat t/x/y/f; find t | sort"),
     None, 0),
    ("mv", scratch("echo m > a; mv a b; ls; mkdir d; mv b d/; ls d; mv d e; ls; cat e/b"), None, 0),
    ("rm", scratch("mkdir -p a/b/c; touch a/b/c/f a/f; rm a/f; ls a; rm -r a; ls; rm gone"
                   " 2>/dev/null; echo $?; rm -f gone; echo $?"), None, 0),
    ("mkdir", scratch("mkdir -p x/y/z; mkdir x 2>/dev/null; echo $?; mkdir x/y/z/w; ls -R x;"
                      " rmdir x/y/z/w; rmdir x 2>/dev/null; echo $?"), None, 0),
    ("ln-s", scratch("echo t > t; ln -s t l; cat l; ln -s /nonexistent dangling; cat dangling"
                     " 2>/dev/null; echo $?; ls; [ -L l ] && echo is-link; [ -L t ] || echo"
                     " not-link; [ -e dangling ] || echo dangling"), None, 0),
    ("readlink", scratch("mkdir a; touch a/b; ln -s a/b c; ln -s c d; readlink c; readlink d;"
                         " readlink -f d | sed \"s|^$(pwd -P)/||\"; readlink a; echo $?;"
                         " realpath d | sed \"s|^$(pwd -P)/||\""), None, 0),
    ("ln-dir", scratch("mkdir real; echo in > real/f; ln -s real lnk; ln -s ../real real/self;"
                       " cat lnk/f lnk/self/f; cd lnk; pwd | sed \"s|^$OLDPWD/||\"; pwd -P |"
                       " sed 's|.*/||'; cd ..; ls lnk/; ln -s lnk lnk2; cat lnk2/self/f"), None, 0),
    ("symlink-loop", scratch("ln -s a b; ln -s b a; cat a 2>&1; echo $?; ln -s me me; ls me/x"
                             " 2>&1; rm a b me; ls"), None, 0),
    ("symlink-rm", scratch("mkdir d; touch d/f; ln -s d l; rm l; ls d; ls; ln -s d l2; rm -r l2;"
                           " ls d; mv d e; ln -s e/f fl; ln fl hard; ls; readlink hard"), None, 0),
    ("ls", scratch("mkdir dir; touch b a .hidden; chmod 755 a; ln -s a l; ls; ls -a; ls -1F;"
                   " ls -d dir; ls dir"), None, 0),
    ("ls-l", scratch("printf 12345 > f; chmod 640 f; touch e; chmod 4755 e; ln -s f link;"
                     " ln f hard; ls -ln | awk 'NR > 1 { print $1, $2, $3, $4, $5, $9, $10, $11 }'"),
     None, 0),
    ("stat", scratch("printf 123 > f; ln -s f l; stat -c '%A %s %h %F %N' f l; stat -L -c '%F %s'"
                     " l; stat -c %s nonexistent 2>/dev/null; echo $?"), None, 0),
    ("find", scratch("mkdir -p a/b c; touch a/x a/b/y.txt c/z.txt; ln -s a/x lx; find . -type f |"
                     " sort; find . -name '*.txt' | sort; find . -type d | sort; find . -type l;"
                     " find a -maxdepth 1 | sort; find . -name '*.txt' -exec echo got {} \\; | sort"),
     None, 0),
    ("grep-r", scratch("mkdir -p d/e; echo needle > d/1; echo hay > d/2; echo 'a needle' > d/e/3;"
                       " grep -r needle d | sort; grep -rl needle . | sort; grep -rc needle d |"
                       " sort; grep -rw needle d/e"), None, 0),
    # (tar's own z for creating runs an external gzip found on PATH: the host's, so a pipe here)
    ("tar-gzip", scratch("mkdir -p src/sub; seq 1 5000 > src/a; echo b > src/sub/b;"
                         " ln -s a src/la; tar cf - src | gzip > x.tgz; rm -r src; tar tzf x.tgz |"
                         " sort; tar xzf x.tgz; cat src/sub/b; md5sum src/a; readlink src/la;"
                         " tar cf y.tar src/sub; tar xOf y.tar src/sub/b"), None, 0),
    ("gzip", scratch("seq 1 3000 > f; gzip f; ls; gunzip f.gz; md5sum f; seq 1 3000 | gzip -9 |"
                     " md5sum; seq 1 3000 | gzip | gzip -dc | md5sum; zcat < /dev/null"
                     " 2>/dev/null; echo $?"), None, 0),
    ("diff-cmp", scratch("printf 'a\\nb\\nc\\n' > x; printf 'a\\nB\\nc\\n' > y; diff x y; echo $?;"
                         " cmp x y; echo $?; cmp x x; echo $?"), None, 0),
    ("tee-truncate", scratch("echo hi | tee f g; cat f g; printf hello > t; truncate -s 10 t;"
                             " wc -c t; od -c t; truncate -s 1 t; cat t; echo"), None, 0),
]
