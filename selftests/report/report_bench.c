// SPDX-License-Identifier: GPL-2.0
/*
 * report_bench: lookup cost of whatever serves a table now, for
 * `make report`.
 *
 * what=fib: times fib_table_lookup() in init_net's main table, which the
 * family has filled with `routes` /24 routes, 10.I/8.I%256.0/24 for I
 * below `routes` (I / 256 in the second octet), and a default route. Two
 * sets of destinations: "random" (a random host of a random one of the
 * /24s: the longest match is that /24) and "worst" (addresses in
 * 192.0.2.0/24, which only the default route matches: a flat array scans
 * every entry for them).
 *
 * what=neigh: times __ipv4_neigh_lookup_noref() (every transmit's lookup)
 * over the `neighs` entries the family made from `first` on `dev`, one
 * key in eight a miss, as neigh_bench does (neigh_keys.h).
 *
 * The family switches the backend between loads (net.ipv4.fib_store,
 * net.ipv4.neigh_backend), so that every backend is timed in the same
 * boot; the module times what serves when it is loaded. Each repeat
 * prints one line of cycles (get_cycles(), the TSC) and tsc_khz, and user
 * space takes medians (tsc_khz is the kernel's, or measured when it has
 * none: bench_khz()). Before timing, every lookup's answer is checked
 * against what the family set up (the oracle); a wrong answer fails the
 * load.
 */

#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/inet.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/timex.h>
#include <asm/tsc.h>
#include <net/arp.h>
#include <net/ip_fib.h>
#include <net/neighbour.h>
#include <net/net_namespace.h>

#include "fib_main.h"
#include "neigh_keys.h"

static char *what = "fib";
module_param(what, charp, 0444);
MODULE_PARM_DESC(what, "fib or neigh");

static unsigned int lookups = 20000;
module_param(lookups, uint, 0444);
MODULE_PARM_DESC(lookups, "lookups per timed run");

static unsigned int repeats = 5;
module_param(repeats, uint, 0444);
MODULE_PARM_DESC(repeats, "timed runs");

static unsigned int seed = 1;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "seed of the random keys");

static unsigned int routes = 16;
module_param(routes, uint, 0444);
MODULE_PARM_DESC(routes, "what=fib: /24 routes from 10.0.0.0/24 in the main table");

static char *dev = "d0";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "what=neigh: device (init_net) the entries are on");

static char *first = "10.0.1.1";
module_param(first, charp, 0444);
MODULE_PARM_DESC(first, "what=neigh: address of the first entry");

static unsigned int neighs = 16;
module_param(neighs, uint, 0444);
MODULE_PARM_DESC(neighs, "what=neigh: consecutive addresses with an entry");

#define WORST_NET	0xc0000200	/* 192.0.2.0/24: only the default matches */

/* TSC cycles per millisecond: tsc_khz, or, where the kernel could not
 * calibrate the TSC (it happens under QEMU TCG), measured against the
 * clock over 200 ms.
 */
static unsigned int bench_khz(void)
{
	cycles_t c0;
	u64 t0, ns;

	if (tsc_khz)
		return tsc_khz;
	c0 = get_cycles();
	t0 = ktime_get_ns();
	msleep(200);
	ns = ktime_get_ns() - t0;
	return ns ? div64_u64((u64)(get_cycles() - c0) * NSEC_PER_MSEC, ns) : 0;
}

/* The destination of route I's host H (I below routes). */
static __be32 fib_dst(u32 i, u32 h)
{
	return htonl(0x0a000000 | (i / 256) << 16 | (i % 256) << 8 | (h & 0xff));
}

static u64 time_fib(struct fib_table *tb, const __be32 *dst)
{
	struct flowi4 fl4 = {};
	struct fib_result res;
	unsigned int i;
	cycles_t t0;

	t0 = get_cycles();
	for (i = 0; i < lookups; i++) {
		fl4.daddr = dst[i];
		fib_table_lookup(tb, &fl4, &res, FIB_LOOKUP_NOREF);
	}
	return get_cycles() - t0;
}

/* Every destination must get the route it was drawn for: its /24, or
 * the default.
 */
static unsigned int check_fib(struct fib_table *tb, const __be32 *dst,
			      unsigned char plen)
{
	struct flowi4 fl4 = {};
	struct fib_result res;
	unsigned int i, wrong = 0;

	for (i = 0; i < lookups; i++) {
		fl4.daddr = dst[i];
		if (fib_table_lookup(tb, &fl4, &res, FIB_LOOKUP_NOREF) ||
		    res.prefixlen != plen ||
		    res.prefix != (plen ? dst[i] & htonl(0xffffff00) : 0))
			wrong++;
	}
	return wrong;
}

static int bench_fib(unsigned int khz)
{
	__be32 *random_dst, *worst_dst;
	unsigned int r, wrong;
	struct rnd_state rnd;
	struct fib_table *tb;
	u64 cr, cw;
	int err = 0;

	if (!routes || routes > 65536)
		return -EINVAL;
	random_dst = kvmalloc_array(lookups, sizeof(__be32), GFP_KERNEL);
	worst_dst = kvmalloc_array(lookups, sizeof(__be32), GFP_KERNEL);
	if (!random_dst || !worst_dst) {
		err = -ENOMEM;
		goto out;
	}
	prandom_seed_state(&rnd, seed);
	for (r = 0; r < lookups; r++) {
		u32 v = prandom_u32_state(&rnd);

		random_dst[r] = fib_dst((v >> 8) % routes, v);
		worst_dst[r] = htonl(WORST_NET | (v & 0xff));
	}

	rcu_read_lock();
	tb = bench_main_table();
	wrong = tb ? check_fib(tb, random_dst, 24) + check_fib(tb, worst_dst, 0) : 1;
	rcu_read_unlock();
	if (wrong) {
		pr_err("report_bench: %u of %u fib lookups wrong (routes=%u missing?)\n",
		       wrong, 2 * lookups, routes);
		err = -EINVAL;
		goto out;
	}
	for (r = 0; r < repeats; r++) {
		rcu_read_lock();
		tb = bench_main_table();
		if (r & 1) {
			cw = time_fib(tb, worst_dst);
			cr = time_fib(tb, random_dst);
		} else {
			cr = time_fib(tb, random_dst);
			cw = time_fib(tb, worst_dst);
		}
		rcu_read_unlock();
		pr_info("report_bench: fib routes=%u lookups=%u random=%llu worst=%llu cycles tsc_khz=%u\n",
			routes, lookups, cr, cw, khz);
		cond_resched();
	}
out:
	kvfree(worst_dst);
	kvfree(random_dst);
	return err;
}

static noinline u64 time_neigh(struct net_device *ndev, const u32 *keys,
			       unsigned int *misses)
{
	unsigned int i;
	cycles_t t0;

	t0 = get_cycles();
	for (i = 0; i < lookups; i++) {
		if (unlikely(!__ipv4_neigh_lookup_noref(ndev, keys[i])))
			(*misses)++;
	}
	return get_cycles() - t0;
}

static int bench_neigh(unsigned int khz)
{
	unsigned int r, wrong = 0, misses = 0;
	struct net_device *ndev;
	__be32 base;
	int err = 0;
	u32 *keys;
	u64 c;

	if (!neighs || !in4_pton(first, -1, (u8 *)&base, -1, NULL))
		return -EINVAL;
	ndev = dev_get_by_name(&init_net, dev);
	if (!ndev)
		return -ENODEV;
	keys = kvmalloc_array(lookups, sizeof(*keys), GFP_KERNEL);
	if (!keys) {
		err = -ENOMEM;
		goto out_dev;
	}
	bench_neigh_keys(keys, lookups, seed, base, neighs);

	rcu_read_lock_bh();
	rcu_read_lock();
	for (r = 0; r < lookups; r++)
		if (bench_neigh_wrong(__ipv4_neigh_lookup_noref(ndev, keys[r]),
				      ndev, keys[r], base, neighs))
			wrong++;
	rcu_read_unlock();
	rcu_read_unlock_bh();
	if (wrong) {
		pr_err("report_bench: %u of %u neigh lookups wrong (entries %pI4 + %u on %s missing?)\n",
		       wrong, lookups, &base, neighs, dev);
		err = -EINVAL;
		goto out;
	}
	for (r = 0; r < repeats; r++) {
		/* BH off and the RCU read lock, as on transmit */
		rcu_read_lock_bh();
		rcu_read_lock();
		c = time_neigh(ndev, keys, &misses);
		rcu_read_unlock();
		rcu_read_unlock_bh();
		pr_info("report_bench: neigh neighs=%u lookups=%u cycles=%llu tsc_khz=%u\n",
			neighs, lookups, c, khz);
		cond_resched();
	}
out:
	kvfree(keys);
out_dev:
	dev_put(ndev);
	return err;
}

static int __init report_bench_init(void)
{
	unsigned int khz;

	if (!lookups || !repeats)
		return -EINVAL;
	khz = bench_khz();
	if (!strcmp(what, "fib"))
		return bench_fib(khz);
	if (!strcmp(what, "neigh"))
		return bench_neigh(khz);
	return -EINVAL;
}

static void __exit report_bench_exit(void)
{
}

module_init(report_bench_init);
module_exit(report_bench_exit);
MODULE_DESCRIPTION("Time IPv4 FIB and ARP lookups with whatever serves them, for make report");
MODULE_LICENSE("GPL");
