#!/usr/bin/python3
"""The report's figures: from the guest's raw lines to CSV rows, and from
the CSV to a terminal table, plots and the README's results section.

    report.py guest REPORT_TXT       CSV rows (no header) on stdout
    report.py render CSV OUTDIR      OUTDIR/report.txt, *.png, results.md

Everything render writes comes from the CSV alone, so the README section
can be regenerated from a kept CSV. CSV columns: section, what, subject,
n, value, unit (see scripts/report.sh).
"""
import csv
import os
import statistics
import subprocess
import sys
from collections import defaultdict

# Targets of issue 7, checked by render (reported either way).
TEXT_SHARE = 0.25            # fib_simple text / fib_trie.o text
SAVING_SHARE = 0.75          # vmlinux saving / fib_trie.o text
RATIO_LIMITS = ((16, 0.7), (64, 1.0), (1024, 2.0))   # N up to: simple/trie
MEM_SHARE = 0.5              # fib_simple bytes per route / trie's
# A neighbour entry is a kmalloc-512 object on x86_64 (344 bytes of
# struct neighbour and its key, rounded up); a slot of neigh_small's
# array is 20 bytes. Slack: one page, for the table's own structures.
SLOT_WORTH = 512 + 20
SLACK = 4096


def guest(path):
    grown = defaultdict(list)   # (backend, n) -> growth per namespace, per round
    before = None
    tstat = {}
    fib = defaultdict(list)     # (backend, n) -> [(rep, random_ns, worst_ns)]
    neigh = defaultdict(list)   # (backend, e) -> [(rep, ns)]
    flood = {}
    dispatch = []
    for line in open(path):
        f = line.split()
        if not f:
            continue
        if f[0] == 'mem' and f[1] == 'fib':
            # a round: the reading without the routes, then the one with
            b, n, k, which, v = f[2], int(f[3]), int(f[4]), f[5], int(f[6])
            if which == 'without':
                before = v
            elif before is not None:
                grown[(b, n)].append((v - before) / k)
                before = None
        elif f[0] == 'triestat':
            tstat[int(f[1])] = int(f[2])
        elif f[0] == 'lookup' and f[1] == 'fib':
            b, n, rep, cr, cw, lk, khz = f[2], int(f[3]), int(f[4]), int(f[5]), int(f[6]), int(f[7]), int(f[8])
            ns = 1e6 / khz / lk
            fib[(b, n)].append((rep, cr * ns, cw * ns))
        elif f[0] == 'lookup' and f[1] == 'neigh':
            b, e, rep, c, lk, khz = f[2], int(f[3]), int(f[4]), int(f[5]), int(f[6]), int(f[7])
            neigh[(b, e)].append((rep, c * 1e6 / khz / lk))
        elif f[0] == 'flood':
            flood[f[1]] = [int(x) for x in f[2:7]]
        elif f[0] == 'dispatch':
            kv = dict(x.split('=') for x in f if '=' in x)
            dispatch.append((int(kv['hook']), int(kv['direct']), int(kv['direct2'])))
    out = csv.writer(sys.stdout, lineterminator='\n')
    for (b, n), v in sorted(grown.items()):
        g = statistics.median(v)
        out.writerow(['mem', 'table-bytes', b, n, round(g), 'bytes'])
        out.writerow(['mem', 'bytes-per-route', b, n, round(g / n, 1), 'bytes'])
    for n, v in sorted(tstat.items()):
        if n and 0 in tstat:
            out.writerow(['mem', 'triestat-bytes-per-route', 'trie', n,
                          round((v - tstat[0]) / n, 1), 'bytes'])
    for (b, n), v in sorted(fib.items()):
        out.writerow(['lookup', 'ns-random', b, n, round(statistics.median(x[1] for x in v), 2), 'ns'])
        out.writerow(['lookup', 'ns-worst', b, n, round(statistics.median(x[2] for x in v), 2), 'ns'])
    for n in sorted({n for _, n in fib}):
        t = {x[0]: x for x in fib.get(('trie', n), [])}
        s = {x[0]: x for x in fib.get(('simple', n), [])}
        reps = sorted(set(t) & set(s))
        if reps:
            for i, w in ((1, 'ratio-random'), (2, 'ratio-worst')):
                out.writerow(['lookup', w, 'simple/trie', n,
                              round(statistics.median(s[r][i] / t[r][i] for r in reps), 3), 'ratio'])
    for (b, e), v in sorted(neigh.items()):
        out.writerow(['lookup', 'ns-neigh', b, e, round(statistics.median(x[1] for x in v), 2), 'ns'])
    for e in sorted({e for _, e in neigh}):
        h = dict(neigh.get(('hash', e), []))
        s = dict(neigh.get(('small', e), []))
        reps = sorted(set(h) & set(s))
        if reps:
            out.writerow(['lookup', 'ratio-neigh', 'small/hash', e,
                          round(statistics.median(s[r] / h[r] for r in reps), 3), 'ratio'])
    if dispatch:
        aa = sorted(d2 / d for _, d, d2 in dispatch)
        out.writerow(['lookup', 'dispatch-ratio', 'hook/direct', 16,
                      round(statistics.median(h / d for h, d, _ in dispatch), 3), 'ratio'])
        out.writerow(['lookup', 'dispatch-band-low', 'direct2/direct', 16, round(aa[1], 3), 'ratio'])
        out.writerow(['lookup', 'dispatch-band-high', 'direct2/direct', 16, round(aa[-2], 3), 'ratio'])
    for b, (entries, objects, before, after, slots) in sorted(flood.items()):
        out.writerow(['flood', 'entries', b, '', entries, 'entries'])
        out.writerow(['flood', 'objects', b, '', objects, 'objects'])
        out.writerow(['flood', 'bytes', b, '', after - before, 'bytes'])
        if b == 'small':
            out.writerow(['flood', 'slots', b, '', slots, 'slots'])


class Fig:
    def __init__(self, path):
        self.rows = list(csv.DictReader(open(path)))

    def get(self, section, what, subject, n=''):
        for r in self.rows:
            if (r['section'], r['what'], r['subject'], r['n']) == (section, what, subject, str(n)):
                return float(r['value'])
        return None

    def series(self, section, what, subject):
        return sorted((int(r['n']), float(r['value'])) for r in self.rows
                      if (r['section'], r['what'], r['subject']) == (section, what, subject) and r['n'])

    def subjects(self, section, what):
        return [r['subject'] for r in self.rows if (r['section'], r['what']) == (section, what)]


PROFILES = ('stock', 'hook', 'tiny', 'stock-client', 'client')


def reference(p):
    """What a profile's vmlinux is compared with: the same config without
    our code (client: stock-client), built by the same compiler."""
    lto = 'lto-' if p.startswith('lto-') else ''
    base = p[len(lto):]
    return lto + ('stock-client' if base == 'client' else 'stock-client' if base == 'stock-client'
                  else 'stock')


def fmt(v, unit=''):
    if v is None:
        return '-'
    if unit == 'ratio':
        return '%.3f' % v
    if v == int(v):
        return '{:,}'.format(int(v))
    return '%.1f' % v


def targets(f):
    """(target, measured, met, by how much it is missed) for each target
    of the issue."""
    out = []
    trie = f.get('size', 'text', 'fib_trie.o (stock)')
    simple = f.get('size', 'text', 'fib_simple (tiny)')
    if trie and simple:
        out.append(('fib_simple text <= %d%% of fib_trie.o text' % (TEXT_SHARE * 100),
                    '%s / %s = %.0f%%' % (fmt(simple), fmt(trie), 100 * simple / trie),
                    simple <= TEXT_SHARE * trie,
                    '%s bytes too many' % fmt(round(simple - TEXT_SHARE * trie))))
    for ours, ref, lto in (('tiny', 'stock', ''), ('client', 'stock-client', ''),
                           ('lto-tiny', 'lto-stock', ' (Clang full LTO)'),
                           ('lto-client', 'lto-stock-client', ' (Clang full LTO)')):
        a = f.get('size', 'vmlinux-functions', ours)
        b = f.get('size', 'vmlinux-functions', ref)
        if a is None or b is None or not trie:
            continue
        saved = b - a
        out.append(('vmlinux text saved, %s vs %s%s, >= %d%% of fib_trie.o text (%s)'
                    % (ours, ref, lto, SAVING_SHARE * 100, fmt(SAVING_SHARE * trie)),
                    '%s bytes = %.0f%%' % (fmt(saved), 100 * saved / trie),
                    saved >= SAVING_SHARE * trie,
                    '%s bytes short' % fmt(round(SAVING_SHARE * trie - saved))))
    for n, ratio in f.series('lookup', 'ratio-random', 'simple/trie'):
        lim = next((l for up, l in RATIO_LIMITS if n <= up), None)
        if lim is not None:
            out.append(('lookup simple/trie at N=%d <= %.1f (random destinations)' % (n, lim),
                        '%.3f' % ratio, ratio <= lim, '%.2fx the limit' % (ratio / lim)))
    d = f.get('lookup', 'dispatch-ratio', 'hook/direct', 16)
    lo = f.get('lookup', 'dispatch-band-low', 'direct2/direct', 16)
    hi = f.get('lookup', 'dispatch-band-high', 'direct2/direct', 16)
    if d is not None:
        out.append(('hook dispatch vs direct call within the A/A noise',
                    '%.3f in %.3f..%.3f' % (d, lo, hi), d <= max(hi, 1.0),
                    '%.3f above the band' % (d - hi)))
    for n, s in f.series('mem', 'bytes-per-route', 'simple'):
        t = f.get('mem', 'bytes-per-route', 'trie', n)
        if t:
            out.append(('bytes per route at N=%d: fib_simple <= half the trie\'s' % n,
                        '%s vs %s' % (fmt(s), fmt(t)), s <= MEM_SHARE * t,
                        '%s bytes a route too many' % fmt(round(s - MEM_SHARE * t, 1))))
    slots = f.get('flood', 'slots', 'small')
    fb = f.get('flood', 'bytes', 'small')
    if slots and fb is not None:
        worth = slots * SLOT_WORTH + SLACK
        out.append(('ARP memory after the flood within %d slots\' worth (%s bytes)'
                    % (slots, fmt(worth)),
                    '%s bytes (hash table: %s)' % (fmt(fb), fmt(f.get('flood', 'bytes', 'hash'))),
                    fb <= worth, '%s bytes too many' % fmt(fb - worth)))
    return out


def tables(f):
    """[(title, header, rows)]: what the terminal and the README show."""
    t = []
    rows = []
    for r in f.rows:
        if r['section'] == 'size' and r['what'] == 'text' and r['subject'] not in [x[0] for x in rows]:
            s = r['subject']
            rows.append((s, fmt(f.get('size', 'text', s)), fmt(f.get('size', 'data', s)),
                         fmt(f.get('size', 'bss', s))))
    t.append(('Objects (size(1), bytes)', ('object', 'text', 'data', 'bss'), rows))
    rows = []
    for p in f.subjects('size', 'vmlinux-functions'):
        v = f.get('size', 'vmlinux-functions', p)
        ref = reference(p)
        r = f.get('size', 'vmlinux-functions', ref)
        rows.append((p, fmt(v), ('%+d vs %s' % (v - r, ref)) if r is not None and p != ref else '',
                     fmt(f.get('size', 'vmlinux-data', p)), fmt(f.get('size', 'vmlinux-bss', p))))
    t.append(('vmlinux (functions: the sum of their sizes; data, bss: size(1))',
              ('profile', 'functions', 'delta', 'data', 'bss'), rows))
    rows = []
    own = bool(f.series('mem', 'triestat-bytes-per-route', 'trie'))
    for n, s in f.series('mem', 'bytes-per-route', 'simple'):
        tr = f.get('mem', 'bytes-per-route', 'trie', n)
        rows.append((str(n), fmt(tr), fmt(s), ('%.2f' % (s / tr)) if tr else '-')
                    + ((fmt(f.get('mem', 'triestat-bytes-per-route', 'trie', n)),) if own else ()))
    t.append(('Kernel memory per route (bytes; one boot of hook)',
              ('routes', 'trie', 'fib_simple', 'simple/trie') + (('trie, its own count',) if own else ()),
              rows))
    rows = []
    for n, s in f.series('lookup', 'ns-random', 'simple'):
        rows.append((str(n), fmt(f.get('lookup', 'ns-random', 'trie', n)), fmt(s),
                     fmt(f.get('lookup', 'ratio-random', 'simple/trie', n), 'ratio'),
                     fmt(f.get('lookup', 'ns-worst', 'trie', n)),
                     fmt(f.get('lookup', 'ns-worst', 'simple', n)),
                     fmt(f.get('lookup', 'ratio-worst', 'simple/trie', n), 'ratio')))
    t.append(('fib_table_lookup() per lookup (ns under QEMU TCG; medians; ratios paired per repeat)',
              ('routes', 'trie', 'simple', 'ratio', 'trie worst', 'simple worst', 'ratio worst'), rows))
    rows = []
    for e, s in f.series('lookup', 'ns-neigh', 'small'):
        rows.append((str(e), fmt(f.get('lookup', 'ns-neigh', 'hash', e)), fmt(s),
                     fmt(f.get('lookup', 'ratio-neigh', 'small/hash', e), 'ratio')))
    d = f.get('lookup', 'dispatch-ratio', 'hook/direct', 16)
    t.append(('ARP lookup on transmit (__ipv4_neigh_lookup_noref(), ns under TCG; neigh_small loaded on '
              'hook: the empty hash table walked, then the store called through the hook)',
              ('entries', 'hash table', 'neigh_small', 'ratio'), rows))
    if d is not None:
        t.append(('FIB hook dispatch (fib_table_lookup()) vs a direct fib_trie_lookup(), 16 routes',
                  ('median ratio', 'A/A band'),
                  [('%.3f' % d, '%.3f..%.3f' % (f.get('lookup', 'dispatch-band-low', 'direct2/direct', 16),
                                                f.get('lookup', 'dispatch-band-high', 'direct2/direct', 16)))]))
    rows = []
    for b in ('hash', 'small'):
        if f.get('flood', 'entries', b) is not None:
            rows.append((b, fmt(f.get('flood', 'entries', b)), fmt(f.get('flood', 'objects', b)),
                         fmt(f.get('flood', 'bytes', b))))
    t.append(('ARP flood, 10,000 senders (entries, objects, kernel memory grown, bytes)',
              ('ARP table on', 'entries', 'objects', 'bytes'), rows))
    return [x for x in t if x[2]]


def text_table(header, rows):
    w = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda r: '  '.join(str(x).rjust(w[i]) if i else str(x).ljust(w[i]) for i, x in enumerate(r))
    return '\n'.join([line(header), line(['-' * x for x in w])] + [line(r) for r in rows])


def md_table(header, rows):
    out = ['| ' + ' | '.join(header) + ' |', '|' + '|'.join('---' for _ in header) + '|']
    return '\n'.join(out + ['| ' + ' | '.join(str(x) for x in r) + ' |' for r in rows])


def plots(f, outdir):
    made = []

    def gp(name, script, data):
        with open(os.path.join(outdir, name + '.dat'), 'w') as d:
            d.write(data)
        with open(os.path.join(outdir, name + '.gp'), 'w') as g:
            # noenhanced: names such as fib_trie.o are text, not subscripts
            g.write('set terminal pngcairo size 800,480 font "sans,10" noenhanced\n'
                    'set output "%s"\nset key top left\nset grid\n' % os.path.join(outdir, name + '.png'))
            g.write(script.replace('DAT', '"%s"' % os.path.join(outdir, name + '.dat')))
        subprocess.run(['gnuplot', os.path.join(outdir, name + '.gp')], check=True)
        made.append(name + '.png')

    ns = f.series('lookup', 'ns-random', 'trie')
    if ns:
        data = ''.join('%d %s %s %s %s\n' % (n, v, f.get('lookup', 'ns-random', 'simple', n),
                                               f.get('lookup', 'ns-worst', 'trie', n),
                                               f.get('lookup', 'ns-worst', 'simple', n)) for n, v in ns)
        gp('lookup', 'set logscale x 2\nset xlabel "routes"\nset ylabel "ns per lookup (QEMU TCG)"\n'
           'set title "fib_table_lookup(): trie vs fib_simple, one boot"\n'
           'plot DAT u 1:2 w lp t "trie, random", DAT u 1:3 w lp t "fib_simple, random", '
           'DAT u 1:4 w lp dt 2 t "trie, default route only", '
           'DAT u 1:5 w lp dt 2 t "fib_simple, default route only"\n', data)
    mem = f.series('mem', 'bytes-per-route', 'trie')
    if mem:
        data = ''.join('%d %s %s\n' % (n, v, f.get('mem', 'bytes-per-route', 'simple', n)) for n, v in mem)
        gp('memory', 'set logscale x 2\nset xlabel "routes"\nset ylabel "bytes per route"\n'
           'set title "Kernel memory per route: trie vs fib_simple"\nset yrange [0:*]\n'
           'plot DAT u 1:2 w lp t "trie", DAT u 1:3 w lp t "fib_simple"\n', data)
    prof = [p for p in f.subjects('size', 'vmlinux-functions') if reference(p) != p]
    if prof:
        trie = f.get('size', 'text', 'fib_trie.o (stock)') or 0
        data = ''.join('"%s vs %s" %d\n' % (p, reference(p), f.get('size', 'vmlinux-functions', p) -
                                            f.get('size', 'vmlinux-functions', reference(p)))
                       for p in prof if f.get('size', 'vmlinux-functions', reference(p)) is not None)
        gp('sizes', 'set style data histograms\nset style fill solid 0.6\nset boxwidth 0.8\n'
           'set ylabel "bytes of functions in vmlinux, ours - reference"\nset xtics rotate by -20\n'
           'set format y "%%.0f"\nset key top right\n'
           'set title "vmlinux text: each profile against its reference (lto-*: Clang full LTO)"\n'
           'plot DAT u 2:xtic(1) t "difference", %d w l lw 2 dt 2 t "target: -75%% of fib_trie.o text"\n'
           % (-SAVING_SHARE * trie), data)
    ipv4 = [p for p in PROFILES if f.get('size', 'text', 'net/ipv4 built-in (%s)' % p) is not None]
    if ipv4:
        data = ''.join('"%s" %d %d\n' % (p, f.get('size', 'text', 'net/ipv4 built-in (%s)' % p),
                                         f.get('size', 'text', 'net/core built-in (%s)' % p) or 0)
                       for p in ipv4)
        gp('ipv4', 'set style data histograms\nset style histogram rowstacked\n'
           'set style fill solid 0.6\nset boxwidth 0.7\nset format y "%.0f"\n'
           'set ylabel "text bytes linked into vmlinux"\nset key top right\n'
           'set title "IPv4 as a whole: net/ipv4 and net/core text per profile"\nset yrange [0:*]\n'
           'plot DAT u 2:xtic(1) t "net/ipv4", DAT u 3 t "net/core"\n', data)
    return made


def render(path, outdir):
    f = Fig(path)
    tv = targets(f)
    parts = []
    for title, header, rows in tables(f):
        parts.append(title + '\n' + text_table(header, rows))
    parts.append('Targets\n' + text_table(('target', 'measured', 'met'),
                                          [(a, b, 'yes' if c else 'NO, ' + d) for a, b, c, d in tv]))
    open(os.path.join(outdir, 'report.txt'), 'w').write('\n\n'.join(parts) + '\n')
    made = plots(f, outdir)
    md = ['Regenerated from `build/report/report.csv` by `make report` then '
          '`make report-readme`; do not edit by hand. Lookup times are from QEMU TCG, '
          'which has no cache model: compare ratios within one boot, not absolute '
          'speeds.', '']
    for title, header, rows in tables(f):
        md += ['**%s**' % title, '', md_table(header, rows), '']
    md += ['**Targets**', '', md_table(('target', 'measured', 'met'),
                                       [(a, b, 'yes' if c else '**no**, ' + d) for a, b, c, d in tv]), '']
    md += ['![%s](docs/report/%s)' % (m[:-4], m) for m in made] + ['']
    open(os.path.join(outdir, 'results.md'), 'w').write('\n'.join(md))


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'guest':
        guest(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == 'render':
        render(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
