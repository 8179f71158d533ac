// SPDX-License-Identifier: GPL-2.0
/*
 * fib_simple: the array, its lookup, and the structural operations the
 * core calls (struct fib_store_ops).
 */

#include <linux/inetdevice.h>
#include <linux/slab.h>
#include <net/ip_fib.h>
#include <net/nexthop.h>

#include "fib_simple.h"

/* What fib_simple_match() found when it found no route: try shorter
 * prefixes, or give the key up, every length of it, as the trie does when
 * a nexthop object has no usable nexthop.
 */
#define FIB_SIMPLE_NEXT		1
#define FIB_SIMPLE_GIVE_UP	2

/* Array order: longer prefixes first, then keys ascending. */
static bool fib_simple_before(const struct fib_simple_prefix *p, __be32 key,
			      __be32 mask)
{
	if (p->mask != mask)
		return ntohl(p->mask) > ntohl(mask);
	return ntohl(p->key) < ntohl(key);
}

/* Index of the first leaf of @a whose key is not below @key. */
static unsigned int fib_simple_search(const struct fib_simple_array *a,
				      u32 key)
{
	unsigned int lo = 0, hi = a ? a->leaves : 0;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (a->by_key[mid]->key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct fib_simple_leaf *fib_simple_leaf(const struct fib_simple_array *a,
					       u32 key)
{
	unsigned int i = fib_simple_search(a, key);

	if (i < (a ? a->leaves : 0) && a->by_key[i]->key == key)
		return a->by_key[i];
	return NULL;
}

/* Whether @l holds a route of suffix length @slen. RTNL. */
static bool fib_simple_holds(const struct fib_simple_leaf *l, u8 slen)
{
	struct fib_alias *fa;

	hlist_for_each_entry(fa, &l->aliases, fa_list)
		if (fa->fa_slen == slen)
			return true;
	return false;
}

static size_t fib_simple_array_size(unsigned int prefixes,
				    unsigned int leaves)
{
	return size_add(struct_size_t(struct fib_simple_array, pfx, prefixes),
			array_size(prefixes + leaves, sizeof(void *)));
}

static u8 fib_simple_slen(const struct fib_simple_prefix *p)
{
	return 32 - inet_mask_len(p->mask);
}

static void fib_simple_put(struct fib_simple_array *a, unsigned int i,
			   const struct fib_simple_prefix *p,
			   struct fib_simple_leaf *leaf)
{
	a->pfx[i] = *p;
	a->leaf_of[i] = leaf;
}

/**
 * fib_simple_publish - give a table a new array
 * @t: the table
 * @add: a leaf whose prefix of length @plen is new, or NULL; also a new
 *	leaf when the array does not hold it yet
 * @plen: that length
 *
 * The new array leaves out the prefixes of which no route is left, and the
 * leaves without routes, which are freed after a grace period with the old
 * array. When there is no memory, nothing changes: a prefix left without
 * routes stays in the array, where lookups pass over it, until the next
 * change succeeds. Under RTNL.
 *
 * Return: 0 or -ENOMEM.
 */
static int fib_simple_publish(struct fib_simple_table *t,
			      struct fib_simple_leaf *add, u8 plen)
{
	struct fib_simple_array *old = rtnl_dereference(t->array), *a;
	unsigned int old_p = old ? old->prefixes : 0;
	unsigned int old_l = old ? old->leaves : 0;
	struct fib_simple_leaf *new_leaf = NULL;
	struct fib_simple_prefix new = {};
	unsigned int i, n = 0, m = 0;

	/* Room for one more of each; the counts are set at the end. */
	a = kvmalloc(fib_simple_array_size(old_p + 1, old_l + 1),
		     GFP_KERNEL_ACCOUNT);
	if (!a)
		return -ENOMEM;
	a->leaf_of = (struct fib_simple_leaf **)&a->pfx[old_p + 1];
	a->by_key = a->leaf_of + old_p + 1;
	if (add) {
		new.key = htonl(add->key);
		new.mask = inet_make_mask(plen);
		if (fib_simple_leaf(old, add->key) != add)
			new_leaf = add;
	}
	for (i = 0; i < old_p; i++) {
		const struct fib_simple_prefix *p = &old->pfx[i];
		struct fib_simple_leaf *leaf = old->leaf_of[i];

		if (add && !fib_simple_before(p, new.key, new.mask)) {
			/* Unless a publish that failed left it behind. */
			if (p->key != new.key || p->mask != new.mask)
				fib_simple_put(a, n++, &new, add);
			add = NULL;
		}
		if (fib_simple_holds(leaf, fib_simple_slen(p)))
			fib_simple_put(a, n++, p, leaf);
	}
	if (add)
		fib_simple_put(a, n++, &new, add);
	for (i = 0; i < old_l; i++) {
		struct fib_simple_leaf *leaf = old->by_key[i];

		if (new_leaf && new_leaf->key < leaf->key) {
			a->by_key[m++] = new_leaf;
			new_leaf = NULL;
		}
		if (!hlist_empty(&leaf->aliases))
			a->by_key[m++] = leaf;
	}
	if (new_leaf)
		a->by_key[m++] = new_leaf;
	a->prefixes = n;
	a->leaves = m;
	if (!n) {
		kvfree(a);
		a = NULL;
	}
	rcu_assign_pointer(t->array, a);
	for (i = 0; i < old_l; i++) {
		struct fib_simple_leaf *leaf = old->by_key[i];

		if (hlist_empty(&leaf->aliases))
			kfree_rcu(leaf, rcu);
	}
	if (old)
		kvfree_rcu(old, rcu);
	return 0;
}

static unsigned int *fib_simple_count(struct fib_simple_table *t, u32 tb_id)
{
	return &t->count[tb_id == RT_TABLE_LOCAL];
}

/* Under RCU or RTNL: the routes of @key, every prefix length. */
struct hlist_head *fib_simple_find(struct fib_table *tb, u32 key)
{
	struct fib_simple_leaf *l;

	l = fib_simple_leaf(fib_simple_array(fib_simple_table(tb)), key);
	return l ? &l->aliases : NULL;
}

/* Under RCU or RTNL: the routes of the lowest key not below *@key. */
struct hlist_head *fib_simple_walk(struct fib_table *tb, u32 *key)
{
	struct fib_simple_array *a = fib_simple_array(fib_simple_table(tb));
	unsigned int i = fib_simple_search(a, *key);
	struct fib_simple_leaf *l;

	if (i >= (a ? a->leaves : 0))
		return NULL;
	l = a->by_key[i];
	*key = l->key;
	return &l->aliases;
}

/* Under RTNL: put @fa on @key's list, before @before (fib_alias_link()). A
 * table holds at most fib_simple.max_routes routes of its own, but the
 * kernel's routes for local addresses are never refused: fib_magic()
 * ignores errors.
 */
int fib_simple_link(struct fib_table *tb, u32 key, struct fib_alias *fa,
		    struct fib_alias *before, struct netlink_ext_ack *extack)
{
	struct fib_simple_table *t = fib_simple_table(tb);
	unsigned int *count = fib_simple_count(t, fa->tb_id);
	struct fib_simple_leaf *l;
	int err = 0;

	if (*count >= READ_ONCE(fib_simple_max_routes) &&
	    fa->fa_info->fib_protocol != RTPROT_KERNEL) {
		fsx_extack_fmt(extack,
			       "table is full (fib_simple.max_routes)",
			       "table %u is full (%u routes, fib_simple.max_routes)",
			       fa->tb_id, *count);
		return -ENOSPC;
	}
	l = fib_simple_leaf(fib_simple_array(t), key);
	if (!l) {
		l = kzalloc(sizeof(*l), GFP_KERNEL_ACCOUNT);
		if (!l)
			return -ENOMEM;
		l->key = key;
		hlist_add_head_rcu(&fa->fa_list, &l->aliases);
		err = fib_simple_publish(t, l, 32 - fa->fa_slen);
		if (err)
			kfree(l);
	} else {
		bool new_prefix = !fib_simple_holds(l, fa->fa_slen);

		fib_alias_link(&l->aliases, fa, before);
		if (new_prefix)
			err = fib_simple_publish(t, l, 32 - fa->fa_slen);
		if (err)
			hlist_del_rcu(&fa->fa_list);
	}
	if (!err)
		(*count)++;
	return err;
}

/* Under RTNL: take @fa off @key's list; a prefix or a key left without
 * routes leaves the array.
 */
void fib_simple_unlink(struct fib_table *tb, u32 key, struct fib_alias *fa)
{
	struct fib_simple_table *t = fib_simple_table(tb);
	struct fib_simple_leaf *l = fib_simple_leaf(fib_simple_array(t), key);

	hlist_del_rcu(&fa->fa_list);
	(*fib_simple_count(t, fa->tb_id))--;
	if (!l || !fib_simple_holds(l, fa->fa_slen))
		fib_simple_publish(t, NULL, 0);
}

/* Under RTNL: offer every route to @fn, keys descending, as the trie does,
 * so that notifications come in the same order.
 */
void fib_simple_sweep(struct fib_table *tb,
		      bool (*fn)(struct fib_table *tb, u32 key,
				 struct hlist_head *fah, struct fib_alias *fa,
				 void *arg),
		      void *arg)
{
	struct fib_simple_table *t = fib_simple_table(tb);
	struct fib_simple_array *a = fib_simple_array(t);
	bool dropped = false;
	unsigned int i;

	for (i = a ? a->leaves : 0; i-- > 0;) {
		struct fib_simple_leaf *l = a->by_key[i];
		struct hlist_node *tmp;
		struct fib_alias *fa;

		hlist_for_each_entry_safe(fa, tmp, &l->aliases, fa_list) {
			unsigned int *count = fib_simple_count(t, fa->tb_id);

			if (fn(tb, l->key, &l->aliases, fa, arg)) {
				(*count)--;
				dropped = true;
			}
		}
	}
	if (dropped)
		fib_simple_publish(t, NULL, 0);
}

/* The first usable route of prefix @p (leaf @l) for @flp, as the trie
 * chooses it.
 */
static int fib_simple_match(struct fib_table *tb, struct fib_simple_leaf *l,
			    const struct fib_simple_prefix *p,
			    const struct flowi4 *flp, struct fib_result *res,
			    int fib_flags)
{
	u8 slen = fib_simple_slen(p);
	struct fib_alias *fa;

	hlist_for_each_entry_rcu(fa, &l->aliases, fa_list) {
		struct fib_info *fi = fa->fa_info;
		struct fib_nh_common *nhc;
		int sel, err;

		if (fa->fa_slen != slen) {
			if (fa->fa_slen > slen)
				break;
			continue;
		}
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
				return FIB_SIMPLE_GIVE_UP;
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
		res->prefixlen = 32 - slen;
		res->nh_sel = sel;
		res->nhc = nhc;
		res->type = fa->fa_type;
		res->scope = fi->fib_scope;
		res->dscp = fa->fa_dscp;
		res->fi = fi;
		res->table = tb;
		res->fa_head = &l->aliases;
		return 0;
	}
	return FIB_SIMPLE_NEXT;
}

/**
 * fib_simple_lookup - longest-prefix match in a fib_simple table
 * @tb: the table
 * @flp: the flow
 * @res: filled on a hit
 * @fib_flags: FIB_LOOKUP_*
 *
 * Scans the prefixes from the top: the first that matches and has a usable
 * route is the longest. Under RCU, in softirq.
 *
 * Return: 0 on a hit, -EAGAIN on a miss, or the error of a reject route.
 */
int fib_simple_lookup(struct fib_table *tb, const struct flowi4 *flp,
		      struct fib_result *res, int fib_flags)
{
	const struct fib_simple_array *a;
	struct fib_simple_leaf *given_up = NULL;
	__be32 dst = flp->daddr;
	unsigned int i;

	a = rcu_dereference(fib_simple_table(tb)->array);
	if (!a)
		return -EAGAIN;
	for (i = 0; i < a->prefixes; i++) {
		const struct fib_simple_prefix *p = &a->pfx[i];
		struct fib_simple_leaf *l;
		int err;

		if ((dst ^ p->key) & p->mask)
			continue;
		/* The trie leaves a key, every length of it, when a nexthop
		 * object has no usable nexthop: so do we.
		 */
		l = a->leaf_of[i];
		if (unlikely(l == given_up))
			continue;
		err = fib_simple_match(tb, l, p, flp, res, fib_flags);
		if (err <= 0)
			return err;
		if (err == FIB_SIMPLE_GIVE_UP)
			given_up = l;
	}
	return -EAGAIN;
}
EXPORT_SYMBOL_GPL(fib_simple_lookup);

/* Free a leaf and the routes it still holds, which no reader can reach. */
static void fib_simple_leaf_free(struct fib_simple_leaf *l)
{
	struct hlist_node *tmp;
	struct fib_alias *fa;

	hlist_for_each_entry_safe(fa, tmp, &l->aliases, fa_list)
		fib_alias_free_rcu(fa);
	kfree(l);
}

static void fib_simple_table_free_rcu(struct rcu_head *head)
{
	struct fib_table *tb = container_of(head, struct fib_table, rcu);

	/* A table flushed at netns exit holds nothing any more; one that
	 * another table replaced holds routes whose fib_info references
	 * passed to that table's copies.
	 */
	if (tb->tb_data == tb->__data) {
		struct fib_simple_array *a;
		unsigned int i;

		a = rcu_dereference_protected(fib_simple_table(tb)->array, 1);
		for (i = 0; a && i < a->leaves; i++)
			fib_simple_leaf_free(a->by_key[i]);
		kvfree(a);
	}
	kfree(tb);
}

/* Free @tb after a grace period, with the routes it still holds. */
void fib_simple_table_free(struct fib_table *tb)
{
	call_rcu(&tb->rcu, fib_simple_table_free_rcu);
}

/* A table; with @alias, one sharing @alias's store. */
struct fib_table *fib_simple_table_new(u32 id, struct fib_table *alias)
{
	struct fib_table *tb;

	tb = kzalloc(sizeof(*tb) +
		     (alias ? 0 : sizeof(struct fib_simple_table)), GFP_KERNEL);
	if (!tb)
		return NULL;
	tb->tb_id = id;
#ifdef CONFIG_IP_FIB_STORES
	tb->tb_store = &fib_simple_store;
#endif
	tb->tb_data = alias ? alias->__data : tb->__data;
	return tb;
}
