// SPDX-License-Identifier: GPL-2.0
/*
 * Test-harness sabotage: a module whose init triggers WARN_ON(), so the
 * harness can prove that a console splat fails a run whose script passed.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init fsx_warn_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit fsx_warn_exit(void)
{
}

module_init(fsx_warn_init);
module_exit(fsx_warn_exit);
MODULE_DESCRIPTION("fsx harness self-test: trigger WARN_ON");
MODULE_LICENSE("GPL");
