// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for fib_simple (CONFIG_IP_FIB_SIMPLE_KUNIT_TEST).
 *
 * The lookup is checked against a deliberately naive reference on random
 * route sets and random destinations: the reference tries every prefix
 * length from 32 down and every route of that length, and knows nothing
 * of the array. Then the walk is checked against a sort of the keys, and
 * the sweep against the order the trie sweeps in and the routes it drops.
 *
 * Routes here are fake: a fib_info with one nexthop on init_net's loopback
 * device, never registered anywhere, and a fib_alias of the test's own.
 * The table is private to the test; the test takes its routes off again
 * before the table goes.
 */

#include <kunit/test.h>
#include <linux/inetdevice.h>
#include <linux/prandom.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/ip_fib.h>

#include "fib_simple.h"

#define FIB_SIMPLE_TEST_SEED	20261207
#define FIB_SIMPLE_TEST_SETS	40
#define FIB_SIMPLE_TEST_ROUTES	96	/* at most, per random set */
#define FIB_SIMPLE_TEST_LOOKUPS	1500	/* per set */

struct fib_simple_test_route {
	__be32 key;
	u8 plen;
	u8 type;	/* RTN_UNICAST or a reject type */
	bool dead;	/* its nexthop is dead: lookups pass over it */
	bool gone;	/* swept away */
	struct fib_info *fi;
	struct fib_alias *fa;
};

struct fib_simple_test {
	struct fib_table *tb;
	struct fib_simple_test_route r[FIB_SIMPLE_TEST_ROUTES];
	unsigned int n;
	struct rnd_state rnd;
};

static struct fib_info *fib_simple_test_info(struct kunit *test, u32 id,
					     bool dead)
{
	struct fib_nh_common *nhc;
	struct fib_info *fi;

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

static void fib_simple_test_add(struct kunit *test, struct fib_table *tb,
				struct fib_simple_test_route *r)
{
	struct fib_alias *fa = kzalloc(sizeof(*fa), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, fa);
	fa->fa_info = r->fi;
	fa->fa_type = r->type;
	fa->fa_slen = 32 - r->plen;
	fa->tb_id = tb->tb_id;
	fa->fa_default = -1;
	r->fa = fa;
	r->gone = false;
	KUNIT_ASSERT_EQ(test, fib_simple_link(tb, ntohl(r->key), fa, NULL,
					      NULL), 0);
}

/* Sweep callbacks: drop every route, or the routes marked gone. Both
 * check that keys come descending.
 */
struct fib_simple_test_sweep {
	struct fib_simple_test *ft;
	u32 last;
	bool first;
	bool all;
	unsigned int seen, dropped, out_of_order;
};

static bool fib_simple_test_drop(struct fib_table *tb, u32 key,
				 struct hlist_head *fah, struct fib_alias *fa,
				 void *arg)
{
	struct fib_simple_test_sweep *s = arg;
	unsigned int i;
	bool drop = s->all;

	if (!s->first && key > s->last)
		s->out_of_order++;
	s->first = false;
	s->last = key;
	s->seen++;
	for (i = 0; !drop && s->ft && i < s->ft->n; i++)
		if (s->ft->r[i].fa == fa)
			drop = s->ft->r[i].gone;
	if (!drop)
		return false;
	hlist_del_rcu(&fa->fa_list);
	kfree_rcu(fa, rcu);
	s->dropped++;
	return true;
}

static void fib_simple_test_clear(struct fib_table *tb)
{
	struct fib_simple_test_sweep s = { .first = true, .all = true };

	fib_simple_sweep(tb, fib_simple_test_drop, &s);
}

static struct fib_simple_test *fib_simple_test_new(struct kunit *test)
{
	struct fib_simple_test *ft = kunit_kzalloc(test, sizeof(*ft),
						   GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ft);
	ft->tb = fib_simple_table_new(RT_TABLE_MAIN, NULL);
	KUNIT_ASSERT_NOT_NULL(test, ft->tb);
	prandom_seed_state(&ft->rnd, FIB_SIMPLE_TEST_SEED);
	kunit_info(test, "seed %u", FIB_SIMPLE_TEST_SEED);
	return ft;
}

static void fib_simple_test_free(struct fib_simple_test *ft)
{
	rtnl_lock();
	fib_simple_test_clear(ft->tb);
	rtnl_unlock();
	fib_simple_table_free(ft->tb);
	rcu_barrier();
}

/* A random set of distinct prefixes, some dead, some reject routes. */
static void fib_simple_test_random_set(struct kunit *test,
				       struct fib_simple_test *ft)
{
	unsigned int i, j;

	rtnl_lock();
	fib_simple_test_clear(ft->tb);
	ft->n = 1 + prandom_u32_state(&ft->rnd) % FIB_SIMPLE_TEST_ROUTES;
	for (i = 0; i < ft->n; i++) {
		struct fib_simple_test_route *r = &ft->r[i];
		u32 kind = prandom_u32_state(&ft->rnd) % 16;

again:
		/* Short prefixes are rare among random ones: favour them,
		 * so that routes nest and keys share lengths.
		 */
		r->plen = prandom_u32_state(&ft->rnd) % 33;
		if (r->plen > 8 && kind & 1)
			r->plen /= 3;
		r->key = htonl(prandom_u32_state(&ft->rnd)) &
			 inet_make_mask(r->plen);
		if (kind & 2 && i)	/* another length of an earlier key */
			r->key = ft->r[prandom_u32_state(&ft->rnd) % i].key &
				 inet_make_mask(r->plen);
		for (j = 0; j < i; j++)
			if (ft->r[j].key == r->key && ft->r[j].plen == r->plen)
				goto again;
		r->type = kind == 3 ? RTN_UNREACHABLE :
			  kind == 5 ? RTN_BLACKHOLE : RTN_UNICAST;
		r->dead = kind == 7 || kind == 9;
		r->fi = fib_simple_test_info(test, i, r->dead);
		fib_simple_test_add(test, ft->tb, r);
	}
	rtnl_unlock();
}

/* The naive reference: what the trie answers for @dst. */
static int fib_simple_test_reference(struct fib_simple_test *ft, __be32 dst,
				     struct fib_simple_test_route **hit)
{
	unsigned int i;
	int plen;

	for (plen = 32; plen >= 0; plen--) {
		for (i = 0; i < ft->n; i++) {
			struct fib_simple_test_route *r = &ft->r[i];

			if (r->gone || r->plen != plen ||
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

static __be32 fib_simple_test_dst(struct fib_simple_test *ft)
{
	struct fib_simple_test_route *r;
	u32 key, host;

	r = &ft->r[prandom_u32_state(&ft->rnd) % ft->n];
	key = ntohl(r->key);
	host = ~ntohl(inet_make_mask(r->plen));
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

/* Lookups against the reference; returns hits, misses and rejects. */
static void fib_simple_test_lookups(struct kunit *test,
				    struct fib_simple_test *ft,
				    unsigned int set, unsigned int count[3])
{
	unsigned int i;

	for (i = 0; i < FIB_SIMPLE_TEST_LOOKUPS; i++) {
		struct flowi4 fl4 = { .daddr = fib_simple_test_dst(ft) };
		struct fib_simple_test_route *want = NULL;
		struct fib_result res = {};
		struct hlist_head *head;
		int err, expect;

		expect = fib_simple_test_reference(ft, fl4.daddr, &want);
		rcu_read_lock();
		err = fib_simple_lookup(ft->tb, &fl4, &res, FIB_LOOKUP_NOREF);
		head = want ? fib_simple_find(ft->tb, ntohl(want->key)) : NULL;
		rcu_read_unlock();
		KUNIT_ASSERT_EQ_MSG(test, err, expect, "set %u dst %pI4",
				    set, &fl4.daddr);
		if (err) {
			count[err == -EAGAIN ? 1 : 2]++;
			continue;
		}
		count[0]++;
		KUNIT_ASSERT_PTR_EQ_MSG(test, res.fi, want->fi,
					"set %u dst %pI4: got %pI4/%u",
					set, &fl4.daddr, &res.prefix,
					res.prefixlen);
		KUNIT_EXPECT_EQ(test, res.prefix, want->key);
		KUNIT_EXPECT_EQ(test, res.prefixlen, want->plen);
		KUNIT_EXPECT_PTR_EQ(test, res.fa_head, head);
	}
}

static void fib_simple_test_lookup_random(struct kunit *test)
{
	struct fib_simple_test *ft = fib_simple_test_new(test);
	unsigned int set, count[3] = {};

	for (set = 0; set < FIB_SIMPLE_TEST_SETS; set++) {
		fib_simple_test_random_set(test, ft);
		fib_simple_test_lookups(test, ft, set, count);
	}
	kunit_info(test, "%u hits, %u misses, %u rejects", count[0], count[1],
		   count[2]);
	/* A run that never exercised a branch proves nothing about it. */
	KUNIT_EXPECT_GT(test, count[0], 1000u);
	KUNIT_EXPECT_GT(test, count[1], 100u);
	KUNIT_EXPECT_GT(test, count[2], 100u);
	fib_simple_test_free(ft);
}

static int fib_simple_test_cmp_key(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* The walk gives each key once, ascending, with every route of it. */
static void fib_simple_test_walk(struct kunit *test)
{
	struct fib_simple_test *ft = fib_simple_test_new(test);
	unsigned int set, i, n;
	u32 *keys;

	keys = kunit_kcalloc(test, FIB_SIMPLE_TEST_ROUTES, sizeof(*keys),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, keys);
	for (set = 0; set < FIB_SIMPLE_TEST_SETS; set++) {
		struct hlist_head *fah;
		unsigned int routes = 0;
		u32 key = 0;

		fib_simple_test_random_set(test, ft);
		for (i = 0; i < ft->n; i++)
			keys[i] = ntohl(ft->r[i].key);
		sort(keys, ft->n, sizeof(*keys), fib_simple_test_cmp_key, NULL);
		for (i = 1, n = 1; i < ft->n; i++)
			if (keys[i] != keys[n - 1])
				keys[n++] = keys[i];
		rcu_read_lock();
		for (i = 0; (fah = fib_simple_walk(ft->tb, &key)); i++) {
			struct fib_alias *fa;

			KUNIT_ASSERT_LT_MSG(test, i, n, "set %u", set);
			KUNIT_EXPECT_EQ_MSG(test, key, keys[i],
					    "set %u position %u", set, i);
			hlist_for_each_entry_rcu(fa, fah, fa_list)
				routes++;
			if (!++key)
				break;
		}
		rcu_read_unlock();
		KUNIT_EXPECT_EQ_MSG(test, i, n, "set %u", set);
		KUNIT_EXPECT_EQ_MSG(test, routes, ft->n, "set %u", set);
	}
	fib_simple_test_free(ft);
}

/* The sweep offers every route, keys descending, drops what its callback
 * drops and nothing else; lookups then answer as without those routes.
 */
static void fib_simple_test_sweep(struct kunit *test)
{
	struct fib_simple_test *ft = fib_simple_test_new(test);
	unsigned int set, i, count[3] = {};

	for (set = 0; set < FIB_SIMPLE_TEST_SETS; set++) {
		struct fib_simple_test_sweep s = { .ft = ft, .first = true };
		unsigned int gone = 0;

		fib_simple_test_random_set(test, ft);
		for (i = 0; i < ft->n; i++) {
			ft->r[i].gone = prandom_u32_state(&ft->rnd) % 3 == 0;
			gone += ft->r[i].gone;
		}
		rtnl_lock();
		fib_simple_sweep(ft->tb, fib_simple_test_drop, &s);
		rtnl_unlock();
		KUNIT_EXPECT_EQ_MSG(test, s.seen, ft->n, "set %u", set);
		KUNIT_EXPECT_EQ_MSG(test, s.dropped, gone, "set %u", set);
		KUNIT_EXPECT_EQ_MSG(test, s.out_of_order, 0u, "set %u", set);
		for (i = 0; i < ft->n; i++)
			if (ft->r[i].gone)
				ft->r[i].fa = NULL;
		fib_simple_test_lookups(test, ft, set, count);
	}
	KUNIT_EXPECT_GT(test, count[0], 1000u);
	fib_simple_test_free(ft);
}

static struct kunit_case fib_simple_test_cases[] = {
	KUNIT_CASE_SLOW(fib_simple_test_lookup_random),
	KUNIT_CASE_SLOW(fib_simple_test_walk),
	KUNIT_CASE_SLOW(fib_simple_test_sweep),
	{}
};

static struct kunit_suite fib_simple_test_suite = {
	.name = "fib_simple",
	.test_cases = fib_simple_test_cases,
};

kunit_test_suite(fib_simple_test_suite);
