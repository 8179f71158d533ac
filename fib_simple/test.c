// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for fib_simple (CONFIG_IP_FIB_SIMPLE_KUNIT_TEST).
 *
 * The route array is checked against a deliberately naive reference on
 * random route sets and random lookups: the reference tries every prefix
 * length from 32 down and every route of that length, and knows nothing
 * of the array's order. Then the walk is checked against a sort, the
 * order of routes within a prefix against the trie's rules, and a table
 * adopted from another (a run-time switch) against its source.
 *
 * Routes here are fake: a fib_info with one nexthop on init_net's
 * loopback device, never registered anywhere. The table is private to the
 * test, so it frees what it made without waiting for readers.
 */

#include <kunit/test.h>
#include <linux/inetdevice.h>
#include <linux/prandom.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/ip_fib.h>

#include "fib_simple.h"

#define FS_TEST_SEED	20261129
#define FS_TEST_SETS	40
#define FS_TEST_ROUTES	96	/* at most, per random set */
#define FS_TEST_LOOKUPS	1500	/* per set */

struct fs_test_route {
	__be32 key;
	u8 plen;
	u8 type;	/* RTN_UNICAST or a reject type */
	bool dead;	/* its nexthop is dead: lookups pass over it */
	struct fib_info *fi;
	struct fib_alias *fa;
};

struct fs_test {
	struct fib_table *tb;
	struct fs_test_route r[FS_TEST_ROUTES];
	unsigned int n;
	struct rnd_state rnd;
};

static struct fib_info *fs_test_info(struct kunit *test, u32 id, bool dead)
{
	struct fib_info *fi;
	struct fib_nh_common *nhc;

	fi = kunit_kzalloc(test, struct_size(fi, fib_nh, 1), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fi);
	fi->fib_nhs = 1;
	fi->fib_priority = id;
	fi->fib_scope = RT_SCOPE_UNIVERSE;
	refcount_set(&fi->fib_clntref, 1);
	nhc = fib_info_nhc(fi, 0);
	nhc->nhc_family = AF_INET;
	nhc->nhc_dev = init_net.loopback_dev;
	nhc->nhc_oif = init_net.loopback_dev->ifindex;
	if (dead)
		fi->fib_flags |= RTNH_F_DEAD;
	return fi;
}

/* Add route @r (a new prefix or another route of an existing one). */
static void fs_test_add(struct kunit *test, struct fs_table *t,
			struct fs_test_route *r, u32 tb_id, dscp_t dscp,
			s16 seq)
{
	struct fs_prefix *p = fs_find(fs_routes(t), r->key, r->plen);
	struct fib_alias *fa;

	fa = kzalloc(sizeof(*fa), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fa);
	fa->fa_info = r->fi;
	fa->fa_type = r->type;
	fa->fa_slen = 32 - r->plen;
	fa->fa_dscp = dscp;
	fa->tb_id = tb_id;
	fa->fa_default = seq;
	r->fa = fa;
	if (p) {
		fs_link(p, fa, fs_position(p, tb_id, dscp,
					   r->fi->fib_priority));
		return;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->key = r->key;
	p->plen = r->plen;
	fs_link(p, fa, NULL);
	KUNIT_ASSERT_EQ(test, fs_publish(t, p), 0);
}

/* Remove every route; the array and prefixes go after a grace period. */
static void fs_test_clear(struct fs_table *t)
{
	struct fs_array *a = fs_routes(t);
	unsigned int i;

	for (i = 0; a && i < a->len; i++) {
		struct hlist_node *tmp;
		struct fib_alias *fa;

		hlist_for_each_entry_safe(fa, tmp, &fs_prefixes(a)[i]->aliases,
					  fa_list) {
			hlist_del_rcu(&fa->fa_list);
			kfree_rcu(fa, rcu);
		}
	}
	fs_publish(t, NULL);
}

static struct fs_test *fs_test_new(struct kunit *test)
{
	struct fs_test *ft = kunit_kzalloc(test, sizeof(*ft), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ft);
	ft->tb = fib_simple_ops.table_new(RT_TABLE_MAIN, NULL);
	KUNIT_ASSERT_NOT_NULL(test, ft->tb);
	prandom_seed_state(&ft->rnd, FS_TEST_SEED);
	kunit_info(test, "seed %u", FS_TEST_SEED);
	return ft;
}

static void fs_test_free(struct fs_test *ft)
{
	rtnl_lock();
	fs_test_clear(fs_table(ft->tb));
	rtnl_unlock();
	fib_simple_ops.table_free(ft->tb);
	rcu_barrier();
}

/* A random set of distinct prefixes, some dead, some reject routes. */
static void fs_test_random_set(struct kunit *test, struct fs_test *ft)
{
	struct fs_table *t = fs_table(ft->tb);
	unsigned int i, j;

	rtnl_lock();
	fs_test_clear(t);
	ft->n = 1 + prandom_u32_state(&ft->rnd) % FS_TEST_ROUTES;
	for (i = 0; i < ft->n; i++) {
		struct fs_test_route *r = &ft->r[i];
		u32 kind = prandom_u32_state(&ft->rnd) % 16;

again:
		/* Short prefixes are rare among random ones: favour them,
		 * so that routes nest.
		 */
		r->plen = prandom_u32_state(&ft->rnd) % 33;
		if (r->plen > 8 && kind & 1)
			r->plen /= 3;
		r->key = htonl(prandom_u32_state(&ft->rnd)) &
			 inet_make_mask(r->plen);
		for (j = 0; j < i; j++)
			if (ft->r[j].key == r->key && ft->r[j].plen == r->plen)
				goto again;
		r->type = kind == 3 ? RTN_UNREACHABLE :
			  kind == 5 ? RTN_BLACKHOLE : RTN_UNICAST;
		r->dead = kind == 7 || kind == 9;
		r->fi = fs_test_info(test, i, r->dead);
		fs_test_add(test, t, r, RT_TABLE_MAIN, 0, 0);
	}
	rtnl_unlock();
}

/* The naive reference: what the trie answers for @dst. */
static int fs_test_reference(struct fs_test *ft, __be32 dst,
			     struct fs_test_route **hit)
{
	int plen;
	unsigned int i;

	for (plen = 32; plen >= 0; plen--) {
		for (i = 0; i < ft->n; i++) {
			struct fs_test_route *r = &ft->r[i];

			if (r->plen != plen ||
			    (dst & inet_make_mask(plen)) != r->key)
				continue;
			if (r->type != RTN_UNICAST)
				return r->type == RTN_UNREACHABLE ?
				       -EHOSTUNREACH : -EINVAL;
			if (r->dead)
				continue;
			*hit = r;
			return 0;
		}
	}
	return -EAGAIN;
}

static __be32 fs_test_dst(struct fs_test *ft)
{
	struct fs_test_route *r = &ft->r[prandom_u32_state(&ft->rnd) % ft->n];
	u32 key = ntohl(r->key), host = ~ntohl(inet_make_mask(r->plen));

	switch (prandom_u32_state(&ft->rnd) % 5) {
	case 0:
		return r->key;				/* network address */
	case 1:
		return htonl(key | host);		/* last address */
	case 2:
		return htonl(key - 1);			/* just below */
	case 3:
		return htonl((key | host) + 1);	/* just above */
	default:
		return htonl(prandom_u32_state(&ft->rnd));
	}
}

static void fs_test_lookup_random(struct kunit *test)
{
	struct fs_test *ft = fs_test_new(test);
	unsigned int set, i, hits = 0, misses = 0, rejects = 0;

	for (set = 0; set < FS_TEST_SETS; set++) {
		fs_test_random_set(test, ft);
		for (i = 0; i < FS_TEST_LOOKUPS; i++) {
			struct flowi4 fl4 = { .daddr = fs_test_dst(ft) };
			struct fs_test_route *want = NULL;
			struct hlist_head *head;
			struct fib_result res = {};
			int err, expect;

			expect = fs_test_reference(ft, fl4.daddr, &want);
			rcu_read_lock();
			err = fib_simple_lookup(ft->tb, &fl4, &res,
						FIB_LOOKUP_NOREF);
			head = want ? &fs_find(fs_routes(fs_table(ft->tb)),
					       want->key, want->plen)->aliases :
				      NULL;
			rcu_read_unlock();
			KUNIT_ASSERT_EQ_MSG(test, err, expect, "set %u dst %pI4",
					    set, &fl4.daddr);
			if (err) {
				if (err == -EAGAIN)
					misses++;
				else
					rejects++;
				continue;
			}
			hits++;
			KUNIT_ASSERT_PTR_EQ_MSG(test, res.fi, want->fi,
						"set %u dst %pI4: got %pI4/%u",
						set, &fl4.daddr, &res.prefix,
						res.prefixlen);
			KUNIT_EXPECT_EQ(test, res.prefix, want->key);
			KUNIT_EXPECT_EQ(test, res.prefixlen, want->plen);
			KUNIT_EXPECT_PTR_EQ(test, res.fa_head, head);
		}
	}
	kunit_info(test, "%u hits, %u misses, %u rejects", hits, misses,
		   rejects);
	/* A run that never exercised a branch proves nothing about it. */
	KUNIT_EXPECT_GT(test, hits, 1000u);
	KUNIT_EXPECT_GT(test, misses, 100u);
	KUNIT_EXPECT_GT(test, rejects, 100u);
	fs_test_free(ft);
}

static int fs_test_cmp_dump(const void *a, const void *b)
{
	const struct fs_test_route *x = a, *y = b;

	if (x->key != y->key)
		return ntohl(x->key) < ntohl(y->key) ? -1 : 1;
	return y->plen - x->plen;
}

/* fs_walk() gives keys ascending, longest prefix first within a key. */
static void fs_test_walk(struct kunit *test)
{
	struct fs_test *ft = fs_test_new(test);
	struct fs_test_route *sorted;
	unsigned int set, i;

	sorted = kunit_kcalloc(test, FS_TEST_ROUTES, sizeof(*sorted),
			       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sorted);
	for (set = 0; set < FS_TEST_SETS; set++) {
		unsigned int skip = 0;
		u32 key = 0;

		fs_test_random_set(test, ft);
		memcpy(sorted, ft->r, ft->n * sizeof(*sorted));
		sort(sorted, ft->n, sizeof(*sorted), fs_test_cmp_dump, NULL);
		rcu_read_lock();
		for (i = 0; i < ft->n; i++, skip++) {
			struct fib_alias *fa = fs_walk(ft->tb, &key, &skip);

			KUNIT_ASSERT_PTR_EQ_MSG(test, fa, sorted[i].fa,
						"set %u position %u", set, i);
			KUNIT_EXPECT_EQ(test, htonl(key), sorted[i].key);
		}
		KUNIT_EXPECT_NULL(test, fs_walk(ft->tb, &key, &skip));
		rcu_read_unlock();
	}
	fs_test_free(ft);
}

/* Within a prefix: local's routes before main's, DSCP descending,
 * priority ascending, and a new route before older equal ones.
 */
static void fs_test_order(struct kunit *test)
{
	struct fs_test *ft = fs_test_new(test);
	struct fs_table *t = fs_table(ft->tb);
	struct fs_test_route r = { .key = htonl(0x0a000000), .plen = 8 };
	struct fib_alias *fa, *prev = NULL;
	unsigned int i, n = 0;

	rtnl_lock();
	for (i = 0; i < 200; i++) {
		u32 x = prandom_u32_state(&ft->rnd);

		r.type = RTN_UNICAST;
		r.fi = fs_test_info(test, x % 4, false);
		fs_test_add(test, t, &r,
			    x & 16 ? RT_TABLE_LOCAL : RT_TABLE_MAIN,
			    inet_dsfield_to_dscp((x >> 5) % 3 * 4), i);
	}
	fa = fs_position(fs_find(fs_routes(t), r.key, r.plen), RT_TABLE_MAIN,
			 0, 0);
	KUNIT_EXPECT_NOT_NULL(test, fa);

	hlist_for_each_entry(fa, &fs_find(fs_routes(t), r.key,
					  r.plen)->aliases, fa_list) {
		n++;
		if (!prev) {
			prev = fa;
			continue;
		}
		KUNIT_EXPECT_GE(test, prev->tb_id, fa->tb_id);
		if (prev->tb_id == fa->tb_id) {
			u8 pd = inet_dscp_to_dsfield(prev->fa_dscp);
			u8 d = inet_dscp_to_dsfield(fa->fa_dscp);

			KUNIT_EXPECT_GE(test, pd, d);
			if (pd == d) {
				u32 pp = prev->fa_info->fib_priority;
				u32 p = fa->fa_info->fib_priority;

				KUNIT_EXPECT_LE(test, pp, p);
				if (pp == p)
					KUNIT_EXPECT_GT(test, prev->fa_default,
							fa->fa_default);
			}
		}
		prev = fa;
	}
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, n, 200u);
	fs_test_free(ft);
}

#ifdef CONFIG_IP_FIB_BACKENDS
/* The routes of two tables, in dump order, pair for pair: the same
 * prefix, type, table, DSCP and fib_info, in copies of their own.
 */
static unsigned int fs_test_same_walk(struct kunit *test,
				      struct fib_table *a, struct fib_table *b)
{
	unsigned int skip_a = 0, skip_b = 0, n = 0;
	u32 key_a = 0, key_b = 0;

	for (;; skip_a++, skip_b++, n++) {
		struct fib_alias *x = fs_walk(a, &key_a, &skip_a);
		struct fib_alias *y = fs_walk(b, &key_b, &skip_b);

		if (!x || !y) {
			KUNIT_EXPECT_PTR_EQ_MSG(test, x, y, "position %u", n);
			return n;
		}
		KUNIT_EXPECT_PTR_NE(test, x, y);
		KUNIT_EXPECT_EQ_MSG(test, key_a, key_b, "position %u", n);
		KUNIT_EXPECT_EQ(test, x->fa_slen, y->fa_slen);
		KUNIT_EXPECT_PTR_EQ(test, x->fa_info, y->fa_info);
		KUNIT_EXPECT_EQ(test, x->fa_type, y->fa_type);
		KUNIT_EXPECT_EQ(test, x->tb_id, y->tb_id);
		KUNIT_EXPECT_EQ(test, x->fa_dscp, y->fa_dscp);
	}
}

/* fs_adopt() copies another table route for route, in its order, and
 * lookups in the copy answer as in the original.
 */
static void fs_test_adopt(struct kunit *test)
{
	struct fs_test *ft = fs_test_new(test);
	unsigned int set, i, n;
	struct fib_table *tb;

	for (set = 0; set < FS_TEST_SETS / 4; set++) {
		fs_test_random_set(test, ft);
		/* A crowded prefix too, mixing local's routes and main's. */
		rtnl_lock();
		for (i = 0; i < 20; i++) {
			struct fs_test_route r = {
				.key = htonl(0x0a000000), .plen = 8,
				.type = RTN_UNICAST,
			};
			u32 x = prandom_u32_state(&ft->rnd);

			r.fi = fs_test_info(test, x % 4, false);
			fs_test_add(test, fs_table(ft->tb), &r,
				    x & 16 ? RT_TABLE_LOCAL : RT_TABLE_MAIN,
				    inet_dsfield_to_dscp((x >> 5) % 3 * 4), i);
		}
		tb = fib_simple_ops.table_new(RT_TABLE_MAIN, NULL);
		KUNIT_ASSERT_NOT_NULL(test, tb);
		KUNIT_ASSERT_EQ(test, fib_simple_ops.adopt(tb, ft->tb, NULL), 0);
		n = fs_test_same_walk(test, ft->tb, tb);
		KUNIT_EXPECT_GE(test, n, ft->n + 1);
		rtnl_unlock();

		rcu_read_lock();
		for (i = 0; i < FS_TEST_LOOKUPS / 4; i++) {
			struct flowi4 fl4 = { .daddr = fs_test_dst(ft) };
			struct fib_result r1 = {}, r2 = {};
			int e1, e2;

			e1 = fib_simple_lookup(ft->tb, &fl4, &r1, FIB_LOOKUP_NOREF);
			e2 = fib_simple_lookup(tb, &fl4, &r2, FIB_LOOKUP_NOREF);
			KUNIT_ASSERT_EQ_MSG(test, e1, e2, "set %u dst %pI4",
					    set, &fl4.daddr);
			KUNIT_EXPECT_PTR_EQ(test, r1.fi, r2.fi);
			KUNIT_EXPECT_EQ(test, r1.prefix, r2.prefix);
			KUNIT_EXPECT_EQ(test, r1.prefixlen, r2.prefixlen);
		}
		rcu_read_unlock();
		/* Nothing else can see the copy: it goes at once. */
		fib_simple_ops.discard(tb);
	}
	fs_test_free(ft);
}
#endif

static struct kunit_case fs_test_cases[] = {
	KUNIT_CASE_SLOW(fs_test_lookup_random),
	KUNIT_CASE_SLOW(fs_test_walk),
	KUNIT_CASE(fs_test_order),
#ifdef CONFIG_IP_FIB_BACKENDS
	KUNIT_CASE(fs_test_adopt),
#endif
	{}
};

static struct kunit_suite fs_test_suite = {
	.name = "fib_simple",
	.test_cases = fs_test_cases,
};

kunit_test_suite(fs_test_suite);
