#!/usr/bin/python3
"""What a lookup path compiles to, from an object file (used by cost.sh).

    lookup_path.py neigh HOOK_BENCH_O TRIE_BENCH_O [HOOK_KOBJ TRIE_KOBJ]

HOOK_BENCH_O and TRIE_BENCH_O are selftests/bench/neigh_bench.o built
against retpoline-hook (CONFIG_NEIGH_STORE_SWITCH: the store test is a
static key) and retpoline-trie (no store configured). The lookup path is
everything time_hook() can execute: its own code and, followed through
direct calls and jumps, every function of the object it reaches (at -Os
the compiler keeps some of the header's inlines out of line; a return
goes back to every call site of its function). A jump-label site (from
__jump_table) falls through or jumps to its target as the key's state
and the site's branch type say (static_branch_unlikely(): a NOP while
the key is off, a jump when on); a retpoline thunk call
(__x86_indirect_thunk_*) or a `call *`/`jmp *` is an indirect call.
Values are not followed: a conditional branch goes both ways, so the key
test must be a jump label on the path itself (a bool returned by an
out-of-line neigh_store_enabled() would count as both ways, and fail).

Checks, with the key off and on (hook) and for the store-less build
(trie): see neigh() below; each FAIL names what it found.

Prints "PASS detail" or "FAIL reason", then "# " lines of evidence.
HOOK_KOBJ and TRIE_KOBJ (optional: net/ipv4/ip_output.o of the two builds)
add the kernel's own transmit-path lookup, ___neigh_lookup_noref() there,
as figures and two more checks: with the key off it makes no more indirect
calls than the store-less kernel's, and the key is tested only after the
out-of-line hash walk (___neigh_lookup_hash()) has returned.
"""
import re
import subprocess
import sys

KEY = 'neigh_store_used'
# The out-of-line store lookup __ipv4_neigh_lookup_noref() calls with the
# key by value (it makes the indirect call itself).
STORE_CALL = 'neigh_store_lookup_u32'
# The hash walk, which the kernel at -Os keeps out of line.
WALK = '___neigh_lookup_hash'
PREFIXES = {'cs', 'ds', 'es', 'ss', 'notrack', 'bnd', 'lock', 'rep', 'repz',
            'repe', 'repnz', 'repne', 'data16', 'addr32'}


def objdump(*args):
    return subprocess.run(('objdump',) + args, check=True, capture_output=True,
                          text=True).stdout


def section_offset(val):
    """'.text+0x1c' -> ('.text', 0x1c); 'sym-0x4' -> ('sym', -4)."""
    m = re.match(r'^(\S+?)(?:([+-])0x([0-9a-f]+))?$', val)
    off = int(m.group(3), 16) if m.group(3) else 0
    return m.group(1), -off if m.group(2) == '-' else off


class Obj:
    def __init__(self, path):
        self.path = path
        self.funcs = {}  # name -> (section, start, end)
        for line in objdump('-t', path).splitlines():
            # 0000000000000010 l     F .text	0000000000000055 name
            m = re.match(r'^([0-9a-f]+)\s.*\sF\s+(\S+)\s+([0-9a-f]+)\s+(\S+)$', line)
            if m and not m.group(4).startswith('__pfx_'):
                a, n = int(m.group(1), 16), int(m.group(3), 16)
                self.funcs.setdefault(m.group(4), (m.group(2), a, a + n))
        self.insns = {}  # (section, addr) -> dict
        self.order = {}  # section -> sorted addresses
        sec = None
        last = None
        for line in objdump('-dr', '--no-show-raw-insn', path).splitlines():
            m = re.match(r'^Disassembly of section (\S+):', line)
            if m:
                sec = m.group(1)
                continue
            m = re.match(r'^\s*([0-9a-f]+): (R_X86_64_\w+)\s+(\S+)', line)
            if m and last:
                last['relocs'].append((m.group(2), m.group(3)))
                continue
            m = re.match(r'^\s*([0-9a-f]+):\t(.*)$', line)
            if m and sec:
                text = ' '.join(m.group(2).split('#')[0].split())
                words = text.split()
                while len(words) > 1 and words[0] in PREFIXES:
                    words = words[1:]
                last = {'sec': sec, 'addr': int(m.group(1), 16), 'text': text,
                        'mn': words[0] if words else '',
                        'ops': ' '.join(words[1:]), 'relocs': []}
                self.insns[(sec, last['addr'])] = last
                self.order.setdefault(sec, []).append(last['addr'])
        for sec, addrs in self.order.items():
            addrs.sort()
            for a, b in zip(addrs, addrs[1:]):
                self.insns[(sec, a)]['next'] = (sec, b)
        # __jump_table: (code, target, key) triples, 16 bytes an entry.
        self.sites = {}  # (section, addr) -> (target, key, branch)
        ent = {}
        try:
            rel = objdump('-r', '-j', '__jump_table', path)
        except subprocess.CalledProcessError:
            rel = ''
        for line in rel.splitlines():
            m = re.match(r'^([0-9a-f]{8,})\s+(R_X86_64_\w+)\s+(\S+)$', line)
            if m:
                off = int(m.group(1), 16)
                ent.setdefault(off // 16, {})[off % 16] = section_offset(m.group(3))
        for e in ent.values():
            if 0 in e and 4 in e and 8 in e:
                # Key address + 2 | branch (1: static_branch_likely).
                self.sites[e[0]] = (e[4], e[8][0], e[8][1] & 1)

    def func_of(self, node):
        sec, a = node
        for name, (s, lo, hi) in self.funcs.items():
            if s == sec and lo <= a < hi:
                return name
        return None

    def local_target(self, reloc):
        """Where a branch with this relocation goes, if in this object."""
        sym, add = section_offset(reloc)
        if sym in self.order:
            return (sym, add + 4)
        if sym in self.funcs:
            s, lo, _ = self.funcs[sym]
            return (s, lo + add + 4)
        return None

    def reach(self, starts, mode, ret_to, removed=()):
        """Nodes reachable from starts, and what they do."""
        seen, todo = set(), list(starts)
        facts = {'indirect': [], 'calls': [], 'data': [], 'sites': []}
        while todo:
            node = todo.pop()
            if node is None or node in seen or node in removed or node not in self.insns:
                continue
            seen.add(node)
            todo.extend(self.successors(self.insns[node], mode, ret_to, facts))
        return seen, facts

    def explore(self, func, mode, removed=()):
        """Everything reachable from func's entry, with KEY off or on
        (mode); jump labels of other keys go both ways. Returns
        go back to every call site of the function (and, through tail
        calls, to their callers' call sites)."""
        s, lo, _ = self.funcs[func]
        ret_to = {func: {None}}  # function -> where its returns go
        while True:
            before = {k: set(v) for k, v in ret_to.items()}
            seen, facts = self.reach([(s, lo)], mode, ret_to, removed)
            if ret_to == before:
                facts['reached'] = seen
                facts['ret_to'] = ret_to
                facts['funcs'] = [func] + sorted({self.func_of(n) for n in seen} - {None, func})
                return facts

    def on_cycle(self, node, mode, ret_to):
        """Whether node is reached again from its own successors."""
        rt = {k: set(v) for k, v in ret_to.items()}
        facts = {'indirect': [], 'calls': [], 'data': [], 'sites': []}
        seen, _ = self.reach(self.successors(self.insns[node], mode, rt, facts), mode, rt)
        return node in seen

    def successors(self, insn, mode, ret_to, facts):
        node = (insn['sec'], insn['addr'])
        nxt = insn.get('next')
        fn = self.func_of(node)
        returns = list(ret_to.get(fn, ()))
        mn, ops = insn['mn'], insn['ops']
        branch = mn.startswith('j') or mn.startswith('call') or mn.startswith('loop')
        if not branch:
            facts['data'].extend((node, val) for _, val in insn['relocs'])
        if node in self.sites:
            # A site jumps when the key's state differs from its branch
            # type: an unlikely branch jumps when on, a likely one when off.
            target, key, likely = self.sites[node]
            facts['sites'].append((node, key))
            if key != KEY:
                return [nxt, target]
            return [target] if (mode == 'on') != bool(likely) else [nxt]
        if mn in ('ret', 'retq', 'retl'):
            return returns
        if mn in ('ud2', 'int3', 'hlt'):
            return []
        if not branch:
            return [nxt]
        sym = insn['relocs'][0][1] if insn['relocs'] else None
        name = section_offset(sym)[0] if sym else None
        tail = mn.startswith('jmp')
        if name and name.startswith('__x86_return_thunk'):
            return returns
        if (name and name.startswith('__x86_indirect_thunk')) or ops.startswith('*'):
            facts['indirect'].append((node, name or ops))
            return returns if tail else [nxt]
        if sym:
            target = self.local_target(sym)
        else:
            m = re.match(r'^([0-9a-f]+)\b', ops)
            target = (insn['sec'], int(m.group(1), 16)) if m else None
        if target is None or target not in self.insns:
            facts['calls'].append((node, name or ops))
            return returns if tail else [nxt]
        callee = self.func_of(target)
        if mn.startswith('call'):
            ret_to.setdefault(callee, set()).add(nxt)
            return [target]
        if tail and callee != fn and target == (self.funcs[callee][0], self.funcs[callee][1]):
            ret_to.setdefault(callee, set()).update(returns)
            return [target]
        if tail:
            return [target]
        return [target, nxt]  # conditional

    def callee(self, node):
        """The function of this object a call at node enters, if any."""
        insn = self.insns[node]
        if not insn['mn'].startswith('call'):
            return None
        if insn['relocs']:
            target = self.local_target(insn['relocs'][0][1])
        else:
            m = re.match(r'^([0-9a-f]+)\b', insn['ops'])
            target = (insn['sec'], int(m.group(1), 16)) if m else None
        return self.func_of(target) if target else None

    def where(self, node):
        fn = self.func_of(node)
        return '%s+0x%x' % (fn, node[1] - self.funcs[fn][1]) if fn else '%s+0x%x' % node

    def insn_size(self, node):
        nxt = self.insns[node].get('next')
        return nxt[1] - node[1] if nxt else 0

    def normalized(self, func, facts):
        """The reached functions' code, addresses made relative, calls
        naming the callee by its position in the path."""
        funcs = facts['funcs']
        idx = {f: i for i, f in enumerate(funcs)}
        out = []
        for f in funcs:
            s, lo, hi = self.funcs[f]
            for a in self.order[s]:
                if not lo <= a < hi:
                    continue
                insn = self.insns[(s, a)]
                ops = re.sub(r'<[^>]*>', '', insn['ops']).strip()
                m = re.match(r'^([0-9a-f]+)$', ops)
                branch = insn['mn'].startswith('j') or insn['mn'].startswith('call')
                if m and branch and insn['relocs']:
                    ops = ''  # the relocation says where it goes
                elif m and branch:
                    t = int(m.group(1), 16)
                    g = self.func_of((s, t))
                    ops = 'F%s+0x%x' % (idx.get(g, '?'), t - self.funcs[g][1]) if g else ops
                out.append((idx[f], a - lo, insn['mn'], ops,
                            tuple(v for _, v in insn['relocs'])))
        return out


def arp_relocs(facts):
    return {v for _, v in facts['data'] if section_offset(v)[0] == 'arp_tbl'}


def neigh(hook_o, trie_o, hook_k=None, trie_k=None):
    ev = []
    h, t = Obj(hook_o), Obj(trie_o)
    for o in (h, t):
        for f in ('time_hook', 'time_direct'):
            if f not in o.funcs:
                return 'FAIL %s: %s not found' % (o.path, f), ev
    # The stock walk (the module's copy): its loads of arp_tbl are the hash
    # walk's (tbl->nht); it must have no jump label and no indirect call.
    for o, name in ((h, 'hook'), (t, 'trie')):
        d = o.explore('time_direct', 'off')
        if d['sites'] or d['indirect'] or not arp_relocs(d):
            return ('FAIL %s: the stock copy is not a plain hash walk (jump labels %d, '
                    'indirect calls %d, arp_tbl loads %d)' % (name, len(d['sites']),
                    len(d['indirect']), len(arp_relocs(d)))), ev
    hwalk = arp_relocs(h.explore('time_direct', 'off'))
    twalk = arp_relocs(t.explore('time_direct', 'off'))

    # --- no store configured (retpoline-trie) ---
    tf = t.explore('time_hook', 'off')
    td = t.explore('time_direct', 'off')
    # The compiler may fold identical functions into one (identical code
    # folding): time_hook and time_direct at one address is the strongest
    # "identical" there is.
    folded = t.funcs['time_hook'][:2] == t.funcs['time_direct'][:2]
    same = folded or t.normalized('time_hook', tf) == t.normalized('time_direct', td)
    ev.append('trie: time_hook path %s (%d insns), time_direct path %s: identical %s'
              % ('+'.join(tf['funcs']), len(tf['reached']), '+'.join(td['funcs']),
                 ('yes (the compiler folded them into one function)' if folded
                  else 'yes') if same else 'no'))
    if tf['sites']:
        return ('FAIL no store configured: jump label on the lookup path at %s'
                % t.where(tf['sites'][0][0])), ev
    if tf['indirect']:
        return ('FAIL no store configured: indirect call on the lookup path at %s (%s)'
                % (t.where(tf['indirect'][0][0]), tf['indirect'][0][1])), ev
    if arp_relocs(tf) - twalk:
        return ('FAIL no store configured: the lookup reads arp_tbl beyond the hash '
                'walk (%s)' % ', '.join(sorted(arp_relocs(tf) - twalk))), ev
    if not same:
        return 'FAIL no store configured: the lookup path is not the stock hash walk', ev

    # --- store switch (retpoline-hook) ---
    off = h.explore('time_hook', 'off')
    on = h.explore('time_hook', 'on')
    sites = sorted({n for n, k in off['sites'] if k == KEY})
    if not sites:
        return ('FAIL hook: no %s jump label on the lookup path (sites: %s)'
                % (KEY, ', '.join('%s %s' % (h.where(n), k) for n, k in off['sites']) or 'none')), ev
    for n in sites:
        if h.sites[n][2]:
            return ('FAIL hook: the %s jump label at %s jumps while no store serves '
                    '(a likely branch): the hash walk is not its fall-through'
                    % (KEY, h.where(n))), ev
        i = h.insns[n]
        ev.append('hook: jump label %s at %s: "%s" (%d bytes), target %s'
                  % (KEY, h.where(n), i['text'], h.insn_size(n), h.where(h.sites[n][0])))
    ev.append('hook: key off: path %s, %d insns, indirect calls %d, direct calls to '
              'other objects %d' % ('+'.join(off['funcs']), len(off['reached']),
                                    len(off['indirect']), len(off['calls'])))
    for n, what in on['indirect']:
        ev.append('hook: key on: indirect call at %s (%s)' % (h.where(n), what))
    walk_off = [n for n, v in off['data'] if v in hwalk]
    store_off = [v for v in arp_relocs(off) - hwalk]
    store_on = [v for v in arp_relocs(on) - hwalk]
    if off['indirect']:
        return ('FAIL hook: with the key off the lookup reaches an indirect call at %s (%s)'
                % (h.where(off['indirect'][0][0]), off['indirect'][0][1])), ev
    store_calls = [(n, w) for n, w in on['calls'] if w == STORE_CALL] + on['indirect']
    for n, what in store_calls:
        ev.append('hook: key on: store call at %s (%s)' % (h.where(n), what))
    if not store_calls:
        return 'FAIL hook: no store call (indirect, or %s) at the jump label target' % STORE_CALL, ev
    if any(w == STORE_CALL for _, w in off['calls']):
        return 'FAIL hook: with the key off the lookup reaches %s' % STORE_CALL, ev
    if not walk_off:
        return 'FAIL hook: with the key off the lookup does not reach the hash walk', ev
    if store_off:
        return ('FAIL hook: with the key off the lookup reads %s beyond the hash walk'
                % ', '.join(store_off)), ev
    if not store_on:
        return 'FAIL hook: the jump label target does not read the table\'s store', ev
    # The hash walk comes first and the key is tested after it (on a
    # miss): no path reaches the jump label without the walk's load of
    # tbl->nht; and the site lies on the loop (reached again from its own
    # fall-through).
    before = h.explore('time_hook', 'off', removed=set(walk_off))
    early = sorted(set(sites) & before['reached'])
    if early:
        return ('FAIL hook: the jump label at %s is reached without walking the hash '
                'table first' % h.where(early[0])), ev
    for n in sites:
        if not h.on_cycle(n, 'off', off['ret_to']):
            return 'FAIL hook: the jump label at %s is not in the lookup loop' % h.where(n), ev

    detail = ('no store configured: the lookup path (%s) is the stock hash walk, '
              'instruction for instruction, with no jump label and no indirect call; '
              'hook: %s jump label (%s, %d bytes) in the lookup loop, reached only after the '
              'hash walk, falling through with no indirect call and no store read; the '
              'store call (%s) only past the jump target'
              % ('+'.join(tf['funcs']), KEY, h.insns[sites[0]]['text'],
                 h.insn_size(sites[0]), store_calls[0][1]))

    if hook_k and trie_k:
        hk, tk = Obj(hook_k), Obj(trie_k)
        # the transmit path: ip_finish_output2() inlines
        # __ipv4_neigh_lookup_noref() (its key test and store call)
        fn = 'ip_finish_output2'
        if fn in hk.funcs and fn in tk.funcs:
            koff, kon = hk.explore(fn, 'off'), hk.explore(fn, 'on')
            ktr = tk.explore(fn, 'off')
            ksites = sorted({n for n, k in koff['sites'] if k == KEY})
            tsites = [n for n, k in ktr['sites'] if k == KEY]
            kstore = [w for _, w in kon['calls'] if w == STORE_CALL]
            ev.append('kernel %s %s: no store: %d indirect calls (%s), %s jump labels %d; '
                      'hook: key off %d indirect calls, %s jump labels %d, key on: '
                      'calls %s %d'
                      % (hook_k.split('/')[-1], fn, len(ktr['indirect']),
                         ', '.join(w for _, w in ktr['indirect']) or '-', KEY, len(tsites),
                         len(koff['indirect']), KEY, len(ksites), STORE_CALL, len(kstore)))
            if tsites or len(koff['indirect']) != len(ktr['indirect']) \
                    or any(w == STORE_CALL for _, w in koff['calls']) \
                    or not kstore or not ksites:
                return ('FAIL kernel %s: with the key off not the store-less lookup '
                        '(see figures)' % fn), ev
            # There the walk is out of line: the key is tested only after
            # a call of it returns.
            walks = [n for n in koff['reached'] if hk.callee(n) == WALK]
            kbefore = hk.explore(fn, 'off', removed=set(walks))
            kearly = sorted(set(ksites) & kbefore['reached'])
            ev.append('kernel %s: calls of %s %d; jump labels reached without one: %d'
                      % (fn, WALK, len(walks), len(kearly)))
            if not walks or kearly:
                return ('FAIL kernel %s: a %s jump label is reached without a call of %s '
                        'first' % (fn, KEY, WALK)), ev
            detail += ('; kernel %s: with the key off as many indirect calls as '
                       'without a store (%d), the key tested only after the hash '
                       'walk (%s) returns' % (fn, len(ktr['indirect']), WALK))
        else:
            ev.append('kernel %s: %s not out of line in both builds, not judged'
                      % (hook_k.split('/')[-1], fn))
    return 'PASS ' + detail, ev


if __name__ == '__main__':
    if len(sys.argv) in (4, 6) and sys.argv[1] == 'neigh':
        verdict, evidence = neigh(*sys.argv[2:])
        print(verdict)
        for e in evidence:
            print('# ' + e)
    else:
        sys.exit(__doc__)
