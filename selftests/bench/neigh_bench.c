// SPDX-License-Identifier: GPL-2.0
/*
 * neigh_bench: what the neighbour store hook costs an ARP lookup, measured
 * in one boot.
 *
 * Times lookups of ARP entries on one device through
 * __ipv4_neigh_lookup_noref() (the core's inline, which with the hook first
 * tests whether a store serves the table: a static key, off while the ARP
 * table is on the hash table) and through a copy of stock 6.12's hash walk
 * (bench_neigh_lookup_noref() below, without that test), plus a second run
 * of the copy whose difference from the first is the noise of the
 * measurement. The three arms run interleaved, in rotating order, over the
 * same keys (the entries' addresses in random order, one in eight a miss);
 * each repeat prints one line and user space takes the medians. Loading
 * runs the benchmark; the module then stays idle.
 *
 * The entries must exist before loading: `first` is the address of the
 * first of `neighs` consecutive addresses with an entry on `dev`
 * (init_net). Misses are the `neighs` addresses after them.
 *
 * Time is read with get_cycles() (the TSC): a small guest may have no
 * clocksource finer than jiffies.
 */

#include <linux/kernel.h>
#include <linux/inet.h>
#include <linux/timex.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/arp.h>
#include <net/neighbour.h>
#include <net/net_namespace.h>

#include "neigh_keys.h"

static unsigned int lookups = 20000;
module_param(lookups, uint, 0444);
MODULE_PARM_DESC(lookups, "lookups per timed run");

static unsigned int repeats = 15;
module_param(repeats, uint, 0444);
MODULE_PARM_DESC(repeats, "timed runs per arm");

static unsigned int seed = 1;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "seed of the random keys");

static char *dev = "d0";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "device (init_net) the entries are on");

static char *first = "10.0.1.1";
module_param(first, charp, 0444);
MODULE_PARM_DESC(first, "address of the first entry");

static unsigned int neighs = 64;
module_param(neighs, uint, 0444);
MODULE_PARM_DESC(neighs, "consecutive addresses from first with an entry");

enum neigh_bench_arm { ARM_HOOK, ARM_DIRECT, ARM_DIRECT2, ARM_COUNT };

static const char * const arm_names[ARM_COUNT] = { "hook", "direct", "direct2" };

/* ___neigh_lookup_noref() as in stock 6.12 (include/net/neighbour.h of
 * linux-source-6.12, unpatched): the hash walk alone. The same code, laid
 * out for checkpatch --strict.
 */
static inline struct neighbour *
bench_neigh_lookup_noref(struct neigh_table *tbl,
			 bool (*key_eq)(const struct neighbour *n, const void *pkey),
			 __u32 (*hash)(const void *pkey,
				       const struct net_device *dev,
				       __u32 *hash_rnd),
			 const void *pkey,
			 struct net_device *dev)
{
	struct neigh_hash_table *nht = rcu_dereference(tbl->nht);
	struct neighbour *n;
	u32 hash_val;

	hash_val = hash(pkey, dev, nht->hash_rnd) >> (32 - nht->hash_shift);
	for (n = rcu_dereference(nht->hash_buckets[hash_val]);
	     n;
	     n = rcu_dereference(n->next)) {
		if (n->dev == dev && key_eq(n, pkey))
			return n;
	}

	return NULL;
}

/* __ipv4_neigh_lookup_noref() of include/net/arp.h on top of it. */
static inline struct neighbour *bench_ipv4_neigh_lookup_noref(struct net_device *dev,
							      u32 key)
{
	if (dev->flags & (IFF_LOOPBACK | IFF_POINTOPOINT))
		key = INADDR_ANY;

	return bench_neigh_lookup_noref(&arp_tbl, neigh_key_eq32, arp_hashfn, &key, dev);
}

/* Both loops are nothing but lookups: the comparison is between the
 * core's inline and the stock hash walk, compiled alike. __flatten
 * inlines every call of each loop: otherwise gcc at -Os outlines the
 * patched header's hash walk (now a helper of its own) but not the copy's,
 * and the bench measures that call, not the hook (the kernel's own
 * ip_finish_output2() calls the walk out of line with and without the
 * hook). Each lookup is used as the transmit path uses it (ip_neigh_gw4():
 * a miss is the unlikely case, which goes on to create the entry), so the
 * compiler lays out hits and misses as it does there. The caller holds
 * rcu_read_lock_bh(). Not inlined into the caller: cost.sh disassembles
 * time_hook() as the lookup path.
 */
static noinline __flatten u64
time_hook(struct net_device *ndev, const u32 *keys, unsigned int *misses)
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

static noinline __flatten u64
time_direct(struct net_device *ndev, const u32 *keys, unsigned int *misses)
{
	unsigned int i;
	cycles_t t0;

	t0 = get_cycles();
	for (i = 0; i < lookups; i++) {
		if (unlikely(!bench_ipv4_neigh_lookup_noref(ndev, keys[i])))
			(*misses)++;
	}
	return get_cycles() - t0;
}

static int __init neigh_bench_init(void)
{
	unsigned int r, a, misses[ARM_COUNT] = {}, expect = 0, wrong = 0;
	struct net_device *ndev;
	u64 cyc[ARM_COUNT];
	__be32 base;
	int err = 0;
	u32 *keys;

	if (!lookups || !repeats || !neighs)
		return -EINVAL;
	if (!in4_pton(first, -1, (u8 *)&base, -1, NULL)) {
		pr_err("neigh_bench: first=%s is not an IPv4 address\n", first);
		return -EINVAL;
	}
#ifdef CONFIG_NEIGH_STORE_SWITCH
	/* Not neigh_store_enabled(): a second caller could change how the
	 * compiler inlines it into the lookups.
	 */
	if (static_key_enabled(&neigh_store_used)) {
		pr_err("neigh_bench: a store serves a neighbour table; the bench wants the hash table\n");
		return -EBUSY;
	}
#endif
	ndev = dev_get_by_name(&init_net, dev);
	if (!ndev) {
		pr_err("neigh_bench: no device %s in init_net\n", dev);
		return -ENODEV;
	}
	keys = kvmalloc_array(lookups, sizeof(*keys), GFP_KERNEL);
	if (!keys) {
		err = -ENOMEM;
		goto out_dev;
	}
	expect = bench_neigh_keys(keys, lookups, seed, base, neighs);

	/* Both lookups must find the same entries, and the right ones. */
	rcu_read_lock_bh();
	rcu_read_lock();
	for (r = 0; r < lookups; r++) {
		struct neighbour *n = __ipv4_neigh_lookup_noref(ndev, keys[r]);

		if (n != bench_ipv4_neigh_lookup_noref(ndev, keys[r]) ||
		    bench_neigh_wrong(n, ndev, keys[r], base, neighs))
			wrong++;
	}
	rcu_read_unlock();
	rcu_read_unlock_bh();
	if (wrong) {
		pr_err("neigh_bench: %u of %u lookups wrong (entries %pI4 + %u on %s missing?)\n",
		       wrong, lookups, &base, neighs, dev);
		err = -EINVAL;
		goto out;
	}

	pr_info("neigh_bench: start lookups=%u repeats=%u seed=%u dev=%s neighs=%u first=%pI4 expect=%u\n",
		lookups, repeats, seed, dev, neighs, &base, expect);
	for (r = 0; r < repeats; r++) {
		/* As on transmit: BH off, and the RCU read lock the
		 * header's rcu_dereference() asks for (lockdep).
		 */
		rcu_read_lock_bh();
		rcu_read_lock();
		for (a = 0; a < ARM_COUNT; a++) {
			unsigned int arm = (a + r) % ARM_COUNT;

			if (arm == ARM_HOOK)
				cyc[arm] = time_hook(ndev, keys, &misses[arm]);
			else
				cyc[arm] = time_direct(ndev, keys, &misses[arm]);
		}
		rcu_read_unlock();
		rcu_read_unlock_bh();
		pr_info("neigh_bench: repeat %u %s=%llu %s=%llu %s=%llu cycles\n", r,
			arm_names[0], cyc[0], arm_names[1], cyc[1],
			arm_names[2], cyc[2]);
		cond_resched();
	}
	/* The arms must have seen the same entries. */
	pr_info("neigh_bench: done hits hook=%llu direct=%llu direct2=%llu expect=%llu\n",
		(u64)lookups * repeats - misses[ARM_HOOK],
		(u64)lookups * repeats - misses[ARM_DIRECT],
		(u64)lookups * repeats - misses[ARM_DIRECT2],
		(u64)expect * repeats);
out:
	kvfree(keys);
out_dev:
	dev_put(ndev);
	return err;
}

static void __exit neigh_bench_exit(void)
{
}

module_init(neigh_bench_init);
module_exit(neigh_bench_exit);
MODULE_DESCRIPTION("Time ARP lookups through the neighbour store hook and a stock hash walk");
MODULE_LICENSE("GPL");
