"""tools/shell_cases.py: the bash and sash suites' scripts, for tools/realtests.py.

Each script runs under bash-static (or sash) on this Linux host and under
anvil, and must print the same and exit the same.  They use only the
shell's built-in commands: external ones would be the host's /bin on one
side and anvil's on the other.  Files are made under relative names (the
host side starts in a scratch directory, anvil's in "/"; bash's names
start with "q" so that globs see only them).
"""

# (name, script, the exit status Linux gives)
BASH_SCRIPTS = [
    ("arrays", r"""
a=(one two three); a+=(four)
echo ${#a[@]} ${a[2]} "${a[@]:1:2}" ${!a[@]}
unset 'a[1]'; echo "${a[@]}" ${#a[@]}
declare -A m=([x]=1 [y]=22 [z]=333)
for k in x y z; do echo "$k=${m[$k]} len ${#m[$k]}"; done
m[w]=4; echo ${#m[@]}
""", 0),
    ("strings", r"""
s="Hello, World"
echo "${s^^}" "${s,,}" "${s/World/There}" "${s:7}" ${#s} "${s#*, }" "${s%o*}"
[[ $s == Hello* ]] && echo glob-match
[[ $s =~ ([A-Z])[a-z]+,\ ([A-Z]) ]] && echo "${BASH_REMATCH[1]}${BASH_REMATCH[2]}"
printf -v p '%-6s|%5.2f|%x' ab 3.14159 255; echo "$p"
printf '%q\n' "a b'c"
echo {1..5} {a..c}{x,y} {10..1..3}
""", 0),
    ("arith-loops", r"""
s=0; for ((i = 0; i < 100; i++)); do ((s += i * i)); done; echo $s
echo $((2**20)) $((7 / 2)) $((-7 % 3)) $((0x10 | 3)) $((5 > 3 ? 10 : 20))
i=0; while :; do ((i++ >= 5)) && break; done; echo $i
until [[ $i -le 0 ]]; do ((i -= 2)); done; echo $i
""", 0),
    ("functions", r"""
fib() { local n=$1; if ((n < 2)); then echo $n; return; fi
        echo $(( $(fib $((n - 1))) + $(fib $((n - 2))) )); }
fib 10
counter=0; bump() { counter=$((counter + $1)); return 3; }
bump 5; echo "status $? counter $counter"
outer() { local v=inner; inner_fn; }; inner_fn() { echo "sees $v"; }; v=global; outer; echo $v
declare -f bump | { read -r first; echo "$first"; }
""", 0),
    ("files", r"""
echo hello > qf; echo more >> qf; printf 'x\ny\n' > qg
while IFS= read -r l; do echo "[$l]"; done < qf
mapfile -t arr < qg; echo ${#arr[@]} "${arr[1]}"
x=$(<qf); echo "${x//l/L}"
exec 3<qf; read -u 3 first; exec 3<&-; echo "$first"
: > qempty; [[ -f qf && ! -d qf && -s qf && ! -s qempty && -e qg ]] && echo tests-ok
echo q*; echo q[fg]; echo nomatch*
{ echo a; echo b >&2; } 2>qerr >qout; echo "$(<qout) $(<qerr)"
set -o noclobber; { echo x > qf; } 2>/dev/null || echo noclobber-ok
""", 0),
    ("subshells-traps", r"""
x=1; (x=2; echo in $x); echo out $x
(exit 3); echo $?
true | false | true; echo "${PIPESTATUS[@]}"
y=$( (echo a; echo b) | { read a; read b; echo $b$a; } ); echo $y
trap 'echo got USR1' USR1; kill -USR1 $$; echo after
( exit 5 ) & wait $!; echo "background $?"
"$BASH" -c 'exit 7'; echo "child $?"
"$BASH" -c 'kill -TERM $$'; echo "killed $?"
trap 'echo EXIT trap' EXIT
exit 4
""", 4),
    ("heredocs", r"""
n=2
cat_() { while IFS= read -r l; do echo "$l"; done; }
cat_ <<EOF
line $((n + 1)) \$n $(echo sub)
EOF
cat_ <<'EOF'
$n $(not run)
EOF
cat_ <<-EOF
	tab stripped $n
	EOF
read a b <<< "x y"; echo "$b$a"
""", 0),
    ("case-getopts", r"""
shopt -s extglob
for w in foo.c bar.h baz qux.txt; do
  case $w in *.@(c|h)) echo "src $w";; *.txt) echo "text $w";; *) echo "other $w";; esac
done
set -- -a -b val -c rest
while getopts ab:c o; do echo "$o=${OPTARG:-}"; done; shift $((OPTIND - 1)); echo "$@"
set -e; false || echo "or ok"; echo "set -e survives"
""", 0),
]

# sash: one built-in command a line, read from standard input
SASH_SCRIPTS = [
    ("files", """-mkdir w
cd w
-dd if=/dev/zero of=z bs=512 count=3
-sum z
-cp z y
-cmp z y
-mkdir d
-mv y d/y
-ls
-ls d
-ln -s z link
-ls -F
-rm link
-ls
-rm d/y
-rmdir d
-ls
-echo done
""", 0),
    ("tar-gzip", """-mkdir w
cd w
-mkdir src
-cp /proc/self/exe src/sash
-sum src/sash
-tar cf t.tar src
-gzip t.tar
-ls
-gunzip t.tgz
-rm src/sash
-rmdir src
-tar xf t.tar
-sum src/sash
-cmp src/sash /proc/self/exe
-echo done
""", 0),
    ("find", """-mkdir w
cd w
-mkdir a
-mkdir a/b
-touch a/b/f
-find a -type f
-find a -name b
-find a
-echo done
""", 0),
]

# ---- the interactive suite (tools/shelltests.py) ----
# Keys typed at anvil's console shell over the serial line, as a terminal
# sends them.  Each command prints a value the shell computes ($((...)),
# $?), so its output never shows up in the echo of what was typed.
LEFT, RIGHT, UP, DOWN = "\x1b[D", "\x1b[C", "\x1b[A", "\x1b[B"
HOME, END, DELETE = "\x1b[H", "\x1b[F", "\x1b[3~"


def ctrl(c):
    return chr(ord(c) & 0x1f)


# (name, [what is typed before each wait for the prompt], lines the output
# must have, lines it must not have)
LINE_EDITING = [
    ("left_right_insert", ["echo lr$((2+2))" + LEFT * 2 + "0" + RIGHT * 2 + "z\r"],
     ["lr22z"], []),
    ("home_end", ["cho he$((1+1))" + HOME + "e" + END + "x\r"], ["he2x"], []),
    ("home_end_vt220", ["cho hv$((1+2))" + "\x1b[1~" + "e" + "\x1b[4~" + "x\r"], ["hv3x"], []),
    ("backspace", ["echo bs$((3+3))9\x7f\r"], ["bs6"], []),
    ("delete", ["echo dx$((5*5))" + HOME + RIGHT * 6 + DELETE + "\r"], ["d25"], []),
    ("ctrl_a_e", ["cho ae$((7*7))" + ctrl("a") + "e" + ctrl("e") + "!\r"], ["ae49!"], []),
    ("ctrl_k", ["echo k$((8+1)) junk" + LEFT * 5 + ctrl("k") + "\r"], ["k9"], []),
    ("ctrl_u", ["garbage" + ctrl("u") + "echo u$((9+9))\r"], ["u18"], []),
    ("ctrl_w", ["echo w$((1+2)) junk" + ctrl("w") + "\r"], ["w3"], []),
    ("up_down_history", ["echo hist1$((0+1))\r", "echo hist2$((0+2))\r",
                         UP + UP + DOWN + ctrl("e") + "0\r"], ["hist11", "hist22", "hist220"], []),
    ("ctrl_r_search", ["echo rs$((4*4))\r", "echo other\r", ctrl("r") + "rs$\r"],
     ["rs16", "rs16"], []),
    ("ctrl_c_cancels_the_line", ["echo cancelled$((1))" + ctrl("c"), "echo st$?\r"],
     ["st130"], ["cancelled1"]),
    ("kill_job_spec", ["sleep 5 &\r", "kill %1; wait %1; echo k$?\r", "kill %7; echo n$?\r"],
     ["k143", "n1"], []),
    # ESC and a byte that starts no sequence: the byte is a key of its own
    ("esc_then_a_plain_key", ["echo esc$((1+1))\x1bx\r"], ["esc2x"], []),
    # CSI sequences with private markers (terminal replies) are read to their end and dropped
    ("csi_private_sequences_ignored", ["echo csi$((2+3))\x1b[?1;2c\x1b[>0;95;0c\x1b[1;5D\r"],
     ["csi5"], []),
    # ^G in a ^R search gives the line back as it was
    ("ctrl_r_ctrl_g_restores_the_line", ["echo orig$((3+4))" + ctrl("r") + "rs" + ctrl("g") + "\r"],
     ["orig7"], []),
]

# ---- the coreutils suite (tools/shelltests.py) ----
# Made by anvil's sh on both sides before the cases: nums (30 lines), text
# (words, a blank line, a tab, mixed case, BRE characters), tail-less (no
# final newline).
COREUTILS_SETUP = r"""
mkdir w && cd w || exit 9
i=1; while [ $i -le 30 ]; do echo "line $i"; i=$((i + 1)); done > nums
cat > text <<'END'
Hello world
foo bar  baz

	indented Line with TABS
hello again, World!
x*y [z] a.b
END
echo -n "first
last without newline" > tail-less
"""

# (name, command): each is run as `command; echo "status $?"` (stdout compared)
COREUTILS_CASES = [
    ("head", "head nums"), ("head-n", "head -n 3 nums"), ("head-N", "head -4 nums"),
    ("head-c", "head -c 10 text"), ("head-files", "head -n 2 nums text"),
    ("head-stdin", "head -n 1 < text"), ("head-dash", "head -n 1 nums - < text"),
    ("head-0", "head -n 0 nums"), ("head-missing", "head missing"),
    ("tail", "tail nums"), ("tail-n", "tail -n 3 nums"), ("tail-N", "tail -2 nums"),
    ("tail-plus", "tail -n +28 nums"), ("tail-c", "tail -c 12 nums"),
    ("tail-c-plus", "tail -c +5 text"), ("tail-no-newline", "tail -n 1 tail-less"),
    ("tail-files", "tail -n 2 nums text"), ("tail-stdin", "tail -n 2 < nums"),
    ("tail-pipe", "cat nums | tail -n 3"), ("tail-missing", "tail missing"),
    ("wc", "wc nums"), ("wc-l", "wc -l nums"), ("wc-w", "wc -w text"), ("wc-c", "wc -c text"),
    ("wc-lw", "wc -lw nums text"), ("wc-files", "wc nums text tail-less"),
    ("wc-stdin", "wc < nums"), ("wc-pipe", "cat text | wc"), ("wc-pipe-l", "cat text | wc -l"),
    ("wc-missing", "wc missing"),
    ("grep", "grep line nums"), ("grep-n", "grep -n 2 nums"), ("grep-v", "grep -v 1 nums"),
    ("grep-i", "grep -i HELLO text"), ("grep-c", "grep -c o text"),
    ("grep-files", "grep -n o nums text"), ("grep-anchors", "grep '^line 1' nums; grep '0$' nums"),
    ("grep-star", "grep 'l.*e 2' nums"), ("grep-class", "grep '[25]$' nums"),
    ("grep-negated-class", "grep '[^a-z ]' text"), ("grep-escape", "grep 'a\\.b' text"),
    ("grep-literal-star", "grep '*' text; grep 'x\\*y' text"),
    ("grep-bracket-literal", "grep '\\[z]' text"), ("grep-none", "grep -c xyz nums"),
    ("grep-l", "grep -l o nums text"), ("grep-q", "grep -q Hello text"),
    ("grep-e", "grep -e -n text; grep -e2 nums"), ("grep-pipe", "cat text | grep -n o"),
    ("grep-iv", "grep -iv h text"), ("grep-missing", "grep x missing"),
    ("head-dir", "head / 2>&1"), ("tail-dir", "tail / 2>&1"), ("wc-dir", "wc / nums 2>&1"),
    ("grep-dir", "grep x / 2>&1"), ("grep-c-dir", "grep -c x / nums 2>&1"),
    ("grep-l-dir", "grep -l line / nums 2>&1"),
    ("grep-star-star", "grep -c '**' text"), ("grep-star-x", "grep '*y' text"),
    ("grep-bad-range", "grep '[z-a]' text 2>&1"), ("grep-two-e", "grep -e foo -e World text"),
    ("grep-two-e-c", "grep -c -e 3 -e 7 nums"),
    ("grep-classes", "grep '[[:upper:]]' text; grep -c '^[[:alpha:][:space:]]*$' text; "
     "grep '[[:digit:]][[:digit:]]' nums; grep '[^[:alnum:] ]' text; grep '[[:punct:]]' text"),
    ("grep-bad-class", "grep '[[:nope:]]' text 2>&1"),
    ("grep-alternation", "grep 'foo\\|again' text; grep -c '^line 1\\|5$' nums; grep 'x\\|^$' text"),
    ("cp", "cp nums copy && cat copy"),
    ("cp-into-dir", "mkdir d && cp nums text d && cat d/text d/nums"),
    ("cp-dir-slash", "cp text d/ && cat d/text"), ("cp-overwrite", "cp text copy && cat copy"),
    ("cp-not-dir", "cp nums text copy"), ("cp-directory", "cp d e"), ("cp-same", "cp nums nums"),
    ("cp-missing", "cp missing x"), ("cp-mode", "cp /bin/sh ./sh2 && test -x sh2 && echo exec"),
]


# BREs grep does not implement: anvil's refuses them (GNU's answer is no
# guide: the two differ by design); (name, pattern)
GREP_UNSUPPORTED = [
    ("group", "\\(a\\)"), ("interval", "a\\{2\\}"), ("word-start", "\\<x"),
    ("backref", "\\(o\\)\\1"), ("word-char", "\\w"),
]


def coreutils_script(cases=None):
    return COREUTILS_SETUP + "".join("echo '== %s'\n%s\necho \"status $?\"\n" % (name, cmd)
                                     for name, cmd in (cases or COREUTILS_CASES))


def grep_unsupported_cases():
    """Each pattern under anvil: "grep: unsupported ..." and status 2, never a silent answer."""
    return [("grep-unsupported-" + name, "grep '%s' text 2>&1" % pattern)
            for name, pattern in GREP_UNSUPPORTED]
