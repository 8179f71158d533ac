/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fib_simple: a store of IPv4 routes in one sorted array, for small systems.
 *
 * The core (net/ipv4/fib_table.c) decides what routes mean; a store only
 * holds them (struct fib_store_ops). Each key (a prefix, host bits zero)
 * that has routes gets a leaf: the list of its routes, every prefix
 * length, in the core's order. A table's array lists its prefixes, one
 * per key and length, longest first and keys ascending within a length,
 * so the first prefix a lookup finds while scanning from the top is the
 * longest that matches; the keys and masks are kept together, apart from
 * the rest, since they are all a scan reads until it matches. The array
 * also lists the leaves by key, for the core's find, walk and sweep.
 *
 * Lookups run under RCU, in softirq; writers hold RTNL. An array is never
 * changed once published: a new or vanished prefix builds a new one,
 * published with rcu_assign_pointer(), the old one freed after a grace
 * period. Routes come and go on a leaf's list with the RCU list
 * primitives, which readers tolerate.
 */
#ifndef _FIB_SIMPLE_H
#define _FIB_SIMPLE_H

#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <linux/types.h>
#include <net/ip_fib.h>

#include "fib_lookup.h"
#include "../compat/compat.h"

/**
 * struct fib_simple_leaf - the routes of one key
 * @aliases: its routes, every prefix length, in the core's order
 *	(res->fa_head points here)
 * @rcu: freed after a grace period
 * @key: the key, host order
 */
struct fib_simple_leaf {
	struct hlist_head aliases;
	struct rcu_head rcu;
	u32 key;
};

/* What a lookup compares: a prefix and its mask, network order. */
struct fib_simple_prefix {
	__be32 key;
	__be32 mask;
};

/**
 * struct fib_simple_array - a table's prefixes and leaves, immutable once
 *	published
 * @rcu: freed after a grace period
 * @prefixes: how many prefixes
 * @leaves: how many leaves
 * @leaf_of: the leaf of each prefix, in the prefixes' order
 * @by_key: the leaves, keys ascending
 * @pfx: the prefixes, longest first, keys ascending within a length. The
 *	same allocation holds @leaf_of and @by_key after them.
 */
struct fib_simple_array {
	struct rcu_head rcu;
	unsigned int prefixes;
	unsigned int leaves;
	struct fib_simple_leaf **leaf_of;
	struct fib_simple_leaf **by_key;
	struct fib_simple_prefix pfx[] __aligned(sizeof(void *));
};

static_assert(sizeof(struct fib_simple_prefix) % sizeof(void *) == 0);

/**
 * struct fib_simple_table - the tb_data of a table with a store of its own
 * @array: the array, or NULL when the table holds no route
 * @count: the routes of the local table, which may share this store, and
 *	of the other one
 */
struct fib_simple_table {
	struct fib_simple_array __rcu *array;
	unsigned int count[2];
};

static inline struct fib_simple_table *fib_simple_table(const struct fib_table *tb)
{
	return (struct fib_simple_table *)tb->tb_data;
}

/* The array of @t, for readers (RCU) and writers (RTNL) alike. */
static inline struct fib_simple_array *
fib_simple_array(const struct fib_simple_table *t)
{
	return rcu_dereference_rtnl(t->array);
}

/* store.c: the most routes a table may hold (fib_simple.max_routes) */
extern unsigned int fib_simple_max_routes;

#endif /* _FIB_SIMPLE_H */
