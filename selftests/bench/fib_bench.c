// SPDX-License-Identifier: GPL-2.0
/*
 * fib_bench: what the FIB ops hook costs a lookup, measured in one boot.
 *
 * Times lookups in init_net's main table through fib_table_lookup() (the
 * core's entry, which dispatches to the table's implementation and emits
 * the tracepoint) and directly in the trie (fib_trie_lookup()), plus a
 * second direct run whose difference from the first is the noise of the
 * measurement. The three arms run interleaved, in rotating order, over the
 * same destinations; each repeat prints one line and user space takes the
 * medians. Loading runs the benchmark; the module then stays idle.
 *
 * Time is read with get_cycles() (the TSC): a small guest may have no
 * clocksource finer than jiffies.
 */

#include <linux/kernel.h>
#include <linux/timex.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <net/ip_fib.h>
#include <net/net_namespace.h>

#include "fib_main.h"

static unsigned int lookups = 20000;
module_param(lookups, uint, 0444);
MODULE_PARM_DESC(lookups, "lookups per timed run");

static unsigned int repeats = 15;
module_param(repeats, uint, 0444);
MODULE_PARM_DESC(repeats, "timed runs per arm");

static unsigned int seed = 1;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "seed of the random destinations");

enum fib_bench_arm { ARM_HOOK, ARM_DIRECT, ARM_DIRECT2, ARM_COUNT };

static const char * const arm_names[ARM_COUNT] = { "hook", "direct", "direct2" };

/* Both loops call their function by name: the comparison is between the
 * two entry points, not between a direct and an indirect call.
 */
static u64 time_hook(struct fib_table *tb, const __be32 *dst,
		     unsigned int *hits)
{
	struct flowi4 fl4 = {};
	struct fib_result res;
	unsigned int i;
	cycles_t t0;

	t0 = get_cycles();
	for (i = 0; i < lookups; i++) {
		fl4.daddr = dst[i];
		if (!fib_table_lookup(tb, &fl4, &res, FIB_LOOKUP_NOREF))
			(*hits)++;
	}
	return get_cycles() - t0;
}

static u64 time_direct(struct fib_table *tb, const __be32 *dst,
		       unsigned int *hits)
{
	struct flowi4 fl4 = {};
	struct fib_result res;
	unsigned int i;
	cycles_t t0;

	t0 = get_cycles();
	for (i = 0; i < lookups; i++) {
		fl4.daddr = dst[i];
		if (!fib_trie_lookup(tb, &fl4, &res, FIB_LOOKUP_NOREF))
			(*hits)++;
	}
	return get_cycles() - t0;
}

static int __init fib_bench_init(void)
{
	unsigned int r, a, hits[ARM_COUNT] = {};
	struct rnd_state rnd;
	struct fib_table *tb;
	u64 ns[ARM_COUNT];
	__be32 *dst;
	int err = 0;

	if (!lookups || !repeats)
		return -EINVAL;
	dst = kvmalloc_array(lookups, sizeof(*dst), GFP_KERNEL);
	if (!dst)
		return -ENOMEM;
	prandom_seed_state(&rnd, seed);
	for (r = 0; r < lookups; r++)
		dst[r] = (__force __be32)prandom_u32_state(&rnd);

	pr_info("fib_bench: start lookups=%u repeats=%u seed=%u\n",
		lookups, repeats, seed);
	for (r = 0; r < repeats; r++) {
		rcu_read_lock();
		tb = bench_main_table();
		if (!tb) {
			rcu_read_unlock();
			err = -ENOENT;
			goto out;
		}
		for (a = 0; a < ARM_COUNT; a++) {
			unsigned int arm = (a + r) % ARM_COUNT;

			if (arm == ARM_HOOK)
				ns[arm] = time_hook(tb, dst, &hits[arm]);
			else
				ns[arm] = time_direct(tb, dst, &hits[arm]);
		}
		rcu_read_unlock();
		pr_info("fib_bench: repeat %u %s=%llu %s=%llu %s=%llu cycles\n", r,
			arm_names[0], ns[0], arm_names[1], ns[1],
			arm_names[2], ns[2]);
		cond_resched();
	}
	/* The arms must have seen the same routes. */
	pr_info("fib_bench: done hits hook=%u direct=%u direct2=%u\n",
		hits[ARM_HOOK], hits[ARM_DIRECT], hits[ARM_DIRECT2]);
out:
	kvfree(dst);
	return err;
}

static void __exit fib_bench_exit(void)
{
}

module_init(fib_bench_init);
module_exit(fib_bench_exit);
MODULE_DESCRIPTION("Time IPv4 FIB lookups through the ops hook and directly");
MODULE_LICENSE("GPL");
