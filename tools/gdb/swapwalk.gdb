# docs/swap-walkthrough.md's session: one anonymous page from kswapd to its swap slot and back.
# Run against tools/run-elf --mem 24 --swap 128 --gdb-port N build/user/stress/swapstress
# with: ANVIL_GDBPORT=N gdb -q -batch -nx -x .gdbinit -x tools/gdb/swapwalk.gdb
python
src = open("mm/vmscan.c").read().split("\n")
line = next(i for i, l in enumerate(src, 1) if "wait_event_interruptible(kswapd_wait" in l) + 1
gdb.execute("break mm/vmscan.c:%d" % line)
end
continue
echo === 1 ===\n
bt
p normal_zone.free_pages
p normal_zone.pages_low
p normal_zone.pages_high
tasks
vmas 5
swapinfo
delete
break shrink_page_list if current == kswapd_task
continue
echo === 2 ===\n
bt 3
p *sc
delete
break page_referenced if current == kswapd_task
continue
echo === 3 ===\n
bt 2
delete
set $found = 0
while $found == 0
  break add_to_swap if page->_mapcount.counter >= 3
  continue
  echo === 4 ===\n
  set $pg = page
  bt 2
  rmap $pg
  delete
  finish
  p/x $pg->private
  p/x $pg->flags
  swapinfo
  tbreak try_to_unmap if page == $pg
  continue
  echo === 5 ===\n
  bt 2
  up
  set $ret = $pc
  down
  break try_to_unmap_one if page == $pg
  tbreak *$ret
  while 1
    continue
    if $pc == $ret
      loop_break
    end
    set $va = $vma_address(page, vma)
    set $pid = $pid_of(vma->vm_mm)
    pgwalk $va $pid
    finish
    pgwalk $va $pid
  end
  p $eax
  p $pg->_mapcount.counter
  delete
  if $eax == 0
    set $found = 1
  end
end
rmap $pg
set $entry = $pg->private
break pageout if page == $pg
continue
echo === 6 ===\n
bt 2
delete
break swap_writepage if page == $pg
continue
bt 3
delete
break end_swap_bio_write if bio->private == $pg
continue
echo === 7 ===\n
bt 11
p bio->status
p bio->sector
p/x $pg->flags
delete
break do_swap_page if orig_pte.pte == $entry
continue
echo === 8 ===\n
bt 4
p current->pid
set $fpid = current->pid
p/x address
set $fva = address
pgwalk address $fpid
p/x $pg->flags
p $pg->_count.counter
p $pg->_mapcount.counter
delete
finish
p $eax
pgwalk $fva $fpid
rmap $pg
break swapin_readahead
continue
set $rentry = entry.val
delete
break swap_readpage if page->private == $rentry
continue
echo === 9 ===\n
bt 7
set $rp = page
set $rpid = current->pid
p/x page->flags
p/x page->private
frame 4
set $fret = $pc
frame 0
delete
break end_swap_bio_read if bio->private == $rp
continue
bt 5
delete
tbreak *$fret if current->pid == $rpid
continue
p $eax
p/x $rp->index
rmap $rp
kill
