// SPDX-License-Identifier: GPL-2.0
/*
 * fib_simple: the route array, its lookup and its walks.
 */

#include <linux/inetdevice.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/ip_fib.h>
#include <net/nexthop.h>

#include "fib_simple.h"

/* Array order: longer prefixes first, then keys ascending. */
static bool fs_before(const struct fs_key *k, __be32 key, u8 plen)
{
	int klen = inet_mask_len(k->mask);

	if (klen != plen)
		return klen > plen;
	return ntohl(k->key) < ntohl(key);
}

/**
 * fs_find - the prefix @key/@plen of an array
 * @a: the array, or NULL
 * @key: the prefix, host bits zero
 * @plen: its length, 0 to 32
 *
 * Return: the prefix, or NULL when the array does not hold it.
 */
struct fs_prefix *fs_find(const struct fs_array *a, __be32 key, u8 plen)
{
	unsigned int lo = 0, hi = a ? a->len : 0;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (fs_before(&a->keys[mid], key, plen))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < (a ? a->len : 0) && a->keys[lo].key == key &&
	    a->keys[lo].mask == inet_make_mask(plen))
		return fs_prefixes(a)[lo];
	return NULL;
}

/* A copy of @old without its empty prefixes, with @add in its place. */
static struct fs_array *fs_rebuild(const struct fs_array *old,
				   struct fs_prefix *add)
{
	unsigned int i, n = add ? 1 : 0, len = old ? old->len : 0;
	struct fs_array *a;

	for (i = 0; i < len; i++)
		n += !hlist_empty(&fs_prefixes(old)[i]->aliases);
	if (!n)
		return NULL;

	a = kvmalloc(fs_array_size(n), GFP_KERNEL_ACCOUNT);
	if (!a)
		return ERR_PTR(-ENOBUFS);
	a->len = n;
	n = 0;
	for (i = 0; i <= len; i++) {
		struct fs_prefix *p;

		if (add && (i == len ||
			    !fs_before(&old->keys[i], add->key, add->plen))) {
			a->keys[n].key = add->key;
			a->keys[n].mask = inet_make_mask(add->plen);
			fs_prefixes(a)[n++] = add;
			add = NULL;
		}
		if (i == len)
			break;
		p = fs_prefixes(old)[i];
		if (hlist_empty(&p->aliases))
			continue;
		a->keys[n] = old->keys[i];
		fs_prefixes(a)[n++] = p;
	}
	return a;
}

/**
 * fs_publish - give a table a new array
 * @t: the table
 * @add: a new prefix to insert, or NULL
 *
 * The new array leaves out the prefixes that no longer hold a route;
 * they, and the old array, are freed after a grace period. When there is
 * no memory, nothing changes: a prefix left empty stays in the array,
 * where lookups pass over it, until the next change succeeds. Under RTNL.
 *
 * Return: 0 or -ENOBUFS.
 */
int fs_publish(struct fs_table *t, struct fs_prefix *add)
{
	struct fs_array *old = rtnl_dereference(t->routes);
	struct fs_array *a = fs_rebuild(old, add);
	unsigned int i;

	if (IS_ERR(a))
		return PTR_ERR(a);
	rcu_assign_pointer(t->routes, a);
	if (!old)
		return 0;
	for (i = 0; i < old->len; i++) {
		struct fs_prefix *p = fs_prefixes(old)[i];

		if (hlist_empty(&p->aliases))
			kfree_rcu(p, rcu);
	}
	kvfree_rcu(old, rcu);
	return 0;
}

#ifdef CONFIG_IP_FIB_BACKENDS
static int fs_prefix_cmp(const void *a, const void *b)
{
	const struct fs_prefix *p = *(const struct fs_prefix **)a;
	const struct fs_prefix *q = *(const struct fs_prefix **)b;

	if (p->plen != q->plen)
		return p->plen > q->plen ? -1 : 1;
	return ntohl(p->key) < ntohl(q->key) ? -1 : 1;
}

/**
 * fs_publish_all - give a table without routes an array of prefixes
 * @t: the table, which no reader can see yet
 * @prefixes: @n distinct prefixes, holding routes, in any order; sorted here
 * @n: how many
 *
 * Under RTNL.
 *
 * Return: 0 or -ENOMEM; the prefixes remain the caller's on failure.
 */
int fs_publish_all(struct fs_table *t, struct fs_prefix **prefixes,
		   unsigned int n)
{
	struct fs_array *a;
	unsigned int i;

	if (!n)
		return 0;
	a = kvmalloc(fs_array_size(n), GFP_KERNEL_ACCOUNT);
	if (!a)
		return -ENOMEM;
	sort(prefixes, n, sizeof(*prefixes), fs_prefix_cmp, NULL);
	a->len = n;
	for (i = 0; i < n; i++) {
		a->keys[i].key = prefixes[i]->key;
		a->keys[i].mask = inet_make_mask(prefixes[i]->plen);
		fs_prefixes(a)[i] = prefixes[i];
	}
	RCU_INIT_POINTER(t->routes, a);
	return 0;
}
#endif

/**
 * fs_key_next - the next key of an array
 * @a: the array, or NULL
 * @key: a key (host order); replaced by the next one
 * @up: the smallest key above *@key, or else the largest below it
 *
 * Return: false when there is none.
 */
bool fs_key_next(const struct fs_array *a, u32 *key, bool up)
{
	unsigned int i, len = a ? a->len : 0;
	bool found = false;
	u32 best = 0;

	for (i = 0; i < len; i++) {
		u32 k = ntohl(a->keys[i].key);

		if (up ? k <= *key || (found && k >= best) :
			 k >= *key || (found && k <= best))
			continue;
		best = k;
		found = true;
	}
	if (found)
		*key = best;
	return found;
}

/**
 * fs_walk - a table's routes in dump order
 * @tb: the table
 * @key: in, the key (host order) of the route to return; out, its key
 * @skip: how many routes with that key come before it
 *
 * Dump order is keys ascending, longest prefix first within a key, then
 * the order of each prefix's list: local's routes, which the table may
 * hold, come before main's. When the key holds no more routes, the first
 * route of the next key is returned, with *@skip zeroed. Under RCU or RTNL.
 *
 * Return: the route, or NULL after the last.
 */
struct fib_alias *fs_walk(struct fib_table *tb, u32 *key, unsigned int *skip)
{
	const struct fs_array *a = fs_routes(fs_table(tb));
	unsigned int i, n = *skip;
	u32 k = *key;

	do {
		/* An array holds a key's prefixes longest first. */
		for (i = 0; a && i < a->len; i++) {
			struct fib_alias *fa;

			if (ntohl(a->keys[i].key) != k)
				continue;
			hlist_for_each_entry_rcu(fa, &fs_prefixes(a)[i]->aliases,
						 fa_list, lockdep_rtnl_is_held()) {
				if (n--)
					continue;
				if (k != *key)
					*skip = 0;
				*key = k;
				return fa;
			}
		}
		n = 0;
	} while (fs_key_next(a, &k, true));
	return NULL;
}

/* The first usable route of prefix @p for @flp, as the trie chooses. */
static int fs_match(struct fib_table *tb, struct fs_prefix *p,
		    const struct flowi4 *flp, struct fib_result *res,
		    int fib_flags)
{
	struct fib_alias *fa;

	hlist_for_each_entry_rcu(fa, &p->aliases, fa_list) {
		struct fib_info *fi = fa->fa_info;
		struct fib_nh_common *nhc;
		int sel, err;

		if (fa->fa_dscp && !fib_dscp_masked_match(fa->fa_dscp, flp))
			continue;
		/* Paired with WRITE_ONCE() in fib_release_info() */
		if (READ_ONCE(fi->fib_dead) ||
		    fi->fib_scope < flp->flowi4_scope)
			continue;
		fib_alias_accessed(fa);
		/* Reject types decide here, without a shorter prefix. */
		err = fib_props[fa->fa_type].error;
		if (unlikely(err < 0))
			return err;
		if (fi->fib_flags & RTNH_F_DEAD)
			continue;
		if (unlikely(fi->nh)) {
			if (nexthop_is_blackhole(fi->nh))
				return fib_props[RTN_BLACKHOLE].error;
			nhc = nexthop_get_nhc_lookup(fi->nh, fib_flags, flp,
						     &sel);
			if (!nhc)
				return FS_SKIP_KEY;
			goto found;
		}
		for (sel = 0; sel < fib_info_num_path(fi); sel++) {
			nhc = fib_info_nhc(fi, sel);
			if (fib_lookup_good_nhc(nhc, fib_flags, flp))
				goto found;
		}
		continue;
found:
		if (!(fib_flags & FIB_LOOKUP_NOREF))
			refcount_inc(&fi->fib_clntref);
		res->prefix = p->key;
		res->prefixlen = p->plen;
		res->nh_sel = sel;
		res->nhc = nhc;
		res->type = fa->fa_type;
		res->scope = fi->fib_scope;
		res->dscp = fa->fa_dscp;
		res->fi = fi;
		res->table = tb;
		res->fa_head = &p->aliases;
		return 0;
	}
	return FS_NEXT;
}

/**
 * fib_simple_lookup - longest-prefix match in a fib_simple table
 * @tb: the table
 * @flp: the flow
 * @res: filled on a hit
 * @fib_flags: FIB_LOOKUP_*
 *
 * Scans the keys from the top: the first prefix that matches and has a
 * usable route is the longest. Under RCU, in softirq.
 *
 * Return: 0 on a hit, -EAGAIN on a miss, or the error of a reject route.
 */
int fib_simple_lookup(struct fib_table *tb, const struct flowi4 *flp,
		      struct fib_result *res, int fib_flags)
{
	const struct fs_array *a = rcu_dereference(fs_table(tb)->routes);
	__be32 dst = flp->daddr, skip = 0;
	bool skipping = false;
	unsigned int i;

	if (!a)
		return -EAGAIN;
	for (i = 0; i < a->len; i++) {
		const struct fs_key *k = &a->keys[i];
		int err;

		if ((dst ^ k->key) & k->mask)
			continue;
		/* The trie keeps a key's prefixes in one leaf and leaves it
		 * when a nexthop object has no usable nexthop: so do we.
		 */
		if (unlikely(skipping) && k->key == skip)
			continue;
		err = fs_match(tb, fs_prefixes(a)[i], flp, res, fib_flags);
		if (err <= 0)
			return err;
		if (err == FS_SKIP_KEY) {
			skipping = true;
			skip = k->key;
		}
	}
	return -EAGAIN;
}
EXPORT_SYMBOL_GPL(fib_simple_lookup);
