/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table the FIB lookup benches time (fib_bench.c, and report_bench.c
 * of `make report`): init_net's main table.
 */
#ifndef _FIB_MAIN_H
#define _FIB_MAIN_H

#include <net/ip_fib.h>
#include <net/net_namespace.h>

/* Under RCU. fib_get_table() is not exported; fib_lookup() finds the
 * main table the same way.
 */
static inline struct fib_table *bench_main_table(void)
{
#ifdef CONFIG_IP_MULTIPLE_TABLES
	return rcu_dereference(init_net.ipv4.fib_main);
#else
	return fib_get_table(&init_net, RT_TABLE_MAIN);
#endif
}

#endif /* _FIB_MAIN_H */
