// SPDX-License-Identifier: GPL-2.0
/*
 * fib_simple: the store as the core sees it, its parameters, and its
 * registration where it is not the kernel's only store.
 */

#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <net/ip_fib.h>

#include "fib_simple.h"

#ifndef CONFIG_IP_FIB_SIMPLE_MAX_ROUTES
#define CONFIG_IP_FIB_SIMPLE_MAX_ROUTES 1024
#endif

unsigned int fib_simple_max_routes = CONFIG_IP_FIB_SIMPLE_MAX_ROUTES;
module_param_named(max_routes, fib_simple_max_routes, uint, 0644);
MODULE_PARM_DESC(max_routes, "Most routes a table may hold (proto kernel ones aside)");

#ifdef CONFIG_IP_FIB_STORES
const struct fib_store_ops fib_simple_store = {
	.name		= "simple",
	.owner		= THIS_MODULE,
	.lookup		= fib_simple_lookup,
	.find		= fib_simple_find,
	.link		= fib_simple_link,
	.unlink		= fib_simple_unlink,
	.walk		= fib_simple_walk,
	.sweep		= fib_simple_sweep,
	.table_new	= fib_simple_table_new,
	.table_free	= fib_simple_table_free,
};

/* Beside the trie (as a module, or both built in): offer the store; the
 * administrator chooses (net.ipv4.fib_store), or activate=1 does.
 */
static bool activate;
module_param(activate, bool, 0444);
MODULE_PARM_DESC(activate, "Move every IPv4 table to fib_simple when loaded; the load fails if that fails");

static int __init fib_simple_module_init(void)
{
	struct netlink_ext_ack extack = {};
	int err;

	rtnl_lock();
	err = fib_store_register(&fib_simple_store);
	rtnl_unlock();
	if (err || !activate)
		return err;
	err = fib_store_switch(&fib_simple_store, &extack);
	if (!err)
		return 0;
	pr_err("fib_simple: every table stays on the trie: %s (%d)\n",
	       extack._msg ?: "", err);
	rtnl_lock();
	fib_store_unregister(&fib_simple_store);
	rtnl_unlock();
	rcu_barrier();
	return err;
}
module_init(fib_simple_module_init);

/* No table holds the module any more; its freeing may still be pending. */
static void __exit fib_simple_module_exit(void)
{
	rtnl_lock();
	fib_store_unregister(&fib_simple_store);
	rtnl_unlock();
	rcu_barrier();
}
module_exit(fib_simple_module_exit);
MODULE_ALIAS("fib-store-simple");
#else
/* The kernel's only store: the core calls it from ip_fib_init(), before
 * any table exists. There is nothing to set up.
 */
void __init fib_simple_init(void)
{
}
#endif

MODULE_DESCRIPTION("IPv4 FIB store: a sorted array");
MODULE_LICENSE("GPL");
