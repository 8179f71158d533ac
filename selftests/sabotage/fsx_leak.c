// SPDX-License-Identifier: GPL-2.0
/*
 * Test-harness sabotage: a module whose init allocates an object and drops
 * the only pointer to it, in a function whose name says "fib", so the
 * harness can prove that the end-of-run kmemleak scan (debug kernels)
 * fails a run whose script passed when the leak is in code we judge.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

static noinline void *fsx_fib_leak(void)
{
	void *p = kmalloc(128, GFP_KERNEL);

	/* not a tail call: this frame must be in the allocation's backtrace */
	if (p)
		memset(p, 0x5a, 128);
	return p;
}

static int __init fsx_leak_init(void)
{
	void *p = fsx_fib_leak();

	pr_info("fsx_leak: %s\n", p ? "128 bytes dropped" : "allocation failed");
	return 0;
}

static void __exit fsx_leak_exit(void)
{
}

module_init(fsx_leak_init);
module_exit(fsx_leak_exit);
MODULE_DESCRIPTION("fsx harness self-test: leak one object for kmemleak");
MODULE_LICENSE("GPL");
