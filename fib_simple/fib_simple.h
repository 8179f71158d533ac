/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fib_simple: IPv4 routing tables as flat arrays, for small systems.
 *
 * A table is an array of prefixes ordered longest first (keys ascending
 * within a length), so the first prefix a lookup matches while scanning
 * from the top is the longest. The keys and masks are kept together and
 * apart from the rest, eight to a cache line, since they are all a scan
 * reads until it matches. Each prefix holds its routes (struct fib_alias)
 * in the order the trie keeps them.
 *
 * Lookups run under RCU, in softirq. Writers hold RTNL. The array is
 * never changed once published: a change builds a new one, publishes it
 * with rcu_assign_pointer() and frees the old one after a grace period.
 * Routes are added to and removed from a prefix's list with the RCU list
 * primitives, which readers tolerate, so only a new or vanished prefix
 * needs a new array.
 */
#ifndef _FIB_SIMPLE_H
#define _FIB_SIMPLE_H

#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <net/ip_fib.h>

#include "fib_lookup.h"
#include "../compat/compat.h"

/**
 * struct fs_prefix - the routes of one destination prefix
 * @aliases: its routes, as a list the core can walk (res->fa_head): table
 *	id descending (local before main, which share an array until the
 *	first rule), then DSCP descending, then priority ascending
 * @rcu: freed after a grace period
 * @key: the prefix, host bits zero
 * @plen: its length
 */
struct fs_prefix {
	struct hlist_head aliases;
	struct rcu_head rcu;
	__be32 key;
	u8 plen;
};

/* What a lookup compares: the prefix and its mask, network order. */
struct fs_key {
	__be32 key;
	__be32 mask;
};

/**
 * struct fs_array - a table's prefixes, immutable once published
 * @rcu: freed after a grace period
 * @len: number of prefixes
 * @keys: @len keys, followed by @len pointers to their struct fs_prefix;
 *	aligned for those pointers (after @len they would sit 4 bytes off
 *	on 64-bit: a fault on strict-alignment machines, and pointers
 *	kmemleak's aligned scan does not see)
 */
struct fs_array {
	struct rcu_head rcu;
	unsigned int len;
	struct fs_key keys[] __aligned(sizeof(void *));
};

static_assert(offsetof(struct fs_array, keys) % sizeof(void *) == 0);
static_assert(sizeof(struct fs_key) % sizeof(void *) == 0);

/**
 * struct fs_table - the tb_data of a table that owns its routes
 * @routes: the array, or NULL when the table holds no route
 * @count: routes of the main (or any other) table and of the local table,
 *	which may share this structure
 */
struct fs_table {
	struct fs_array __rcu *routes;
	unsigned int count[2];
};

/* Returned by fs_match(): nothing usable in that prefix, try shorter ones;
 * or a route through a nexthop object had no usable nexthop, which makes
 * the trie give up on the whole key (see fib_simple_lookup()).
 */
#define FS_NEXT		1
#define FS_SKIP_KEY	2

/* Bytes of an array of @n prefixes. */
static inline size_t fs_array_size(unsigned int n)
{
	return size_add(struct_size_t(struct fs_array, keys, n),
			array_size(n, sizeof(struct fs_prefix *)));
}

static inline struct fs_prefix **fs_prefixes(const struct fs_array *a)
{
	return (struct fs_prefix **)&a->keys[a->len];
}

static inline struct fs_table *fs_table(const struct fib_table *tb)
{
	return (struct fs_table *)tb->tb_data;
}

/* The routes of @t, for writers (RTNL) and readers (RCU) alike. */
static inline struct fs_array *fs_routes(const struct fs_table *t)
{
	return rcu_dereference_rtnl(t->routes);
}

static inline unsigned int *fs_count(struct fs_table *t, u32 tb_id)
{
	return &t->count[tb_id == RT_TABLE_LOCAL];
}

/* array.c */
struct fs_prefix *fs_find(const struct fs_array *a, __be32 key, u8 plen);
int fs_publish(struct fs_table *t, struct fs_prefix *add);
int fs_publish_all(struct fs_table *t, struct fs_prefix **prefixes,
		   unsigned int n);	/* CONFIG_IP_FIB_BACKENDS */
bool fs_key_next(const struct fs_array *a, u32 *key, bool up);
struct fib_alias *fs_walk(struct fib_table *tb, u32 *key, unsigned int *skip);
int fib_simple_lookup(struct fib_table *tb, const struct flowi4 *flp,
		      struct fib_result *res, int fib_flags);

/* table.c */
extern const struct fib_table_ops fib_simple_ops;
struct fib_alias *fs_position(struct fs_prefix *p, u32 tb_id, dscp_t dscp,
			      u32 prio);
void fs_link(struct fs_prefix *p, struct fib_alias *new,
	     struct fib_alias *before);

#endif /* _FIB_SIMPLE_H */
