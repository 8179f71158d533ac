// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for neigh_small (CONFIG_NEIGH_SMALL_KUNIT_TEST).
 *
 * The slot array is checked against a deliberately naive reference: a
 * plain list of (address, device, entry) that lookups search one by one,
 * after random sequences of inserts and removals. The choice of the entry
 * to give up is checked against a brute-force ranking the test makes from
 * the states it set itself, not from nsmall_class().
 *
 * Entries here are fake: zeroed struct neighbour with a key, a device
 * pointer that is only compared, a refcount and an unarmed timer, in a
 * table private to the test. The cache never fills up while inserting, so
 * the core's neigh_evict() is not reached.
 */

#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <net/neighbour.h>

#include "neigh_small.h"

#define NSMALL_TEST_SEED	20261129
#define NSMALL_TEST_SLOTS	32
#define NSMALL_TEST_ROUNDS	40
#define NSMALL_TEST_OPS	400	/* inserts and removals per round */
#define NSMALL_TEST_KEYS	48	/* addresses drawn from: collisions happen */

static char nsmall_test_devs[2];	/* two "devices": only their addresses matter */

struct nsmall_test {
	struct neigh_table tbl;
	struct nsmall_cache *c;
	struct rnd_state rnd;
	struct neighbour *ref[NSMALL_TEST_SLOTS];	/* the naive reference */
	unsigned int nref;
};

static void nsmall_test_timer(struct timer_list *t)
{
}

static struct neighbour *nsmall_test_neigh(struct kunit *test, u32 key,
					   const void *dev)
{
	struct neighbour *n;

	n = kunit_kzalloc(test, sizeof(*n) + sizeof(u32), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, n);
	memcpy(n->primary_key, &key, sizeof(key));
	n->dev = (struct net_device *)dev;
	refcount_set(&n->refcnt, 1);
	timer_setup(&n->timer, nsmall_test_timer, 0);
	skb_queue_head_init(&n->arp_queue);
	n->nud_state = NUD_STALE;
	return n;
}

static void nsmall_test_init(struct kunit *test, struct nsmall_test *t)
{
	memset(t, 0, sizeof(*t));
	rwlock_init(&t->tbl.lock);
	t->tbl.key_len = sizeof(u32);
	t->c = nsmall_alloc(NSMALL_TEST_SLOTS, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->c);
	t->c->store.tbl = &t->tbl;
	prandom_seed_state(&t->rnd, NSMALL_TEST_SEED);
}

static struct neighbour *
nsmall_test_ref_find(struct nsmall_test *t, u32 key, const void *dev)
{
	unsigned int i;

	for (i = 0; i < t->nref; i++)
		if (*(u32 *)t->ref[i]->primary_key == key && t->ref[i]->dev == dev)
			return t->ref[i];
	return NULL;
}

static void nsmall_test_check_lookups(struct kunit *test, struct nsmall_test *t)
{
	unsigned int k, d;

	rcu_read_lock();
	for (k = 0; k < NSMALL_TEST_KEYS; k++) {
		for (d = 0; d < 2; d++) {
			u32 key = htonl(0x0a000000 + k);

			const void *dev = &nsmall_test_devs[d];

			KUNIT_EXPECT_PTR_EQ(test, nsmall_lookup(t->c, key, dev),
					    nsmall_test_ref_find(t, key, dev));
		}
	}
	rcu_read_unlock();
}

/* Random inserts and removals; after each round every address on both
 * devices is looked up in the cache and in the reference.
 */
static void nsmall_test_lookup_random(struct kunit *test)
{
	struct nsmall_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int round, op, i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	nsmall_test_init(test, t);
	for (round = 0; round < NSMALL_TEST_ROUNDS; round++) {
		for (op = 0; op < NSMALL_TEST_OPS / NSMALL_TEST_ROUNDS; op++) {
			u32 r = prandom_u32_state(&t->rnd);
			u32 key = htonl(0x0a000000 + r % NSMALL_TEST_KEYS);
			const void *dev = &nsmall_test_devs[(r >> 8) & 1];
			struct neighbour *old = nsmall_test_ref_find(t, key, dev);
			struct neighbour *n, *got;

			/* allocated outside the lock; unused ones freed by KUnit */
			n = nsmall_test_neigh(test, key, dev);
			write_lock_bh(&t->tbl.lock);
			if (old && (r >> 9) & 1) {
				nsmall_remove(t->c, old);
				for (i = 0; t->ref[i] != old; i++)
					;
				t->ref[i] = t->ref[--t->nref];
			} else if (old || t->nref < NSMALL_TEST_SLOTS) {
				got = nsmall_insert(t->c, n);
				/* the entry there is returned, or n linked */
				KUNIT_EXPECT_PTR_EQ(test, got, old);
				if (!old)
					t->ref[t->nref++] = n;
			}
			write_unlock_bh(&t->tbl.lock);
			KUNIT_EXPECT_EQ(test, t->c->used, t->nref);
		}
		nsmall_test_check_lookups(test, t);
	}
	kfree(t->c);
}

/* The walk visits every entry once, in slot order. */
static void nsmall_test_walk(struct kunit *test)
{
	struct nsmall_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int pos, seen = 0, last = 0, i;
	struct neighbour *n;

	KUNIT_ASSERT_NOT_NULL(test, t);
	nsmall_test_init(test, t);
	for (i = 0; i < NSMALL_TEST_SLOTS; i++)
		t->ref[t->nref++] = nsmall_test_neigh(test,
						      htonl(0x0a000000 + i),
						      &nsmall_test_devs[0]);
	write_lock_bh(&t->tbl.lock);
	for (i = 0; i < NSMALL_TEST_SLOTS; i++)
		KUNIT_EXPECT_NULL(test, nsmall_insert(t->c, t->ref[i]));
	/* leave holes */
	for (i = 0; i < NSMALL_TEST_SLOTS; i += 3)
		nsmall_remove(t->c, t->ref[i]);
	write_unlock_bh(&t->tbl.lock);

	rcu_read_lock();
	for (pos = 0; (n = nsmall_next(t->c, &pos)); pos++) {
		KUNIT_EXPECT_TRUE(test, !seen || pos > last);
		KUNIT_EXPECT_NE(test, pos % 3, 0U);
		KUNIT_EXPECT_PTR_EQ(test, n, t->ref[pos]);
		last = pos;
		seen++;
	}
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, seen, NSMALL_TEST_SLOTS - (NSMALL_TEST_SLOTS + 2) / 3);
	KUNIT_EXPECT_EQ(test, seen, t->c->used);
	kfree(t->c);
}

/* What the test made each entry: the rank the victim choice must respect. */
struct nsmall_test_kind {
	u8 state;
	u32 flags;
	bool queued;	/* INCOMPLETE with a packet waiting */
	bool held;	/* a reference besides the table's */
	unsigned long used, confirmed;
};

/* 0 idle, 1 stale, 2 active, 3 keep: written from the rules, not the code */
static int nsmall_test_rank(const struct nsmall_test_kind *k)
{
	if ((k->state & NUD_PERMANENT) || (k->flags & NTF_EXT_LEARNED) || k->held)
		return 3;
	if (k->state == NUD_FAILED || k->state == NUD_NOARP || k->state == NUD_NONE)
		return 0;
	if (k->state == NUD_INCOMPLETE && !k->queued)
		return 0;
	if (k->state == NUD_STALE)
		return 1;
	return 2;
}

static const u8 nsmall_test_states[] = {
	NUD_NONE, NUD_INCOMPLETE, NUD_REACHABLE, NUD_STALE, NUD_DELAY,
	NUD_PROBE, NUD_FAILED, NUD_NOARP, NUD_PERMANENT,
};

/* A full cache of random entries: nsmall_victim() picks one of the lowest
 * rank with the oldest last use (the later of used and confirmed), or
 * none when every entry must be kept.
 */
static void nsmall_test_victim(struct kunit *test)
{
	struct nsmall_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct nsmall_test_kind kind[NSMALL_TEST_SLOTS];
	unsigned int round, i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	nsmall_test_init(test, t);
	for (round = 0; round < 200; round++) {
		int best = 3, got;
		unsigned long best_use = 0;
		bool keep_all = round % 10 == 9;

		for (i = 0; i < NSMALL_TEST_SLOTS; i++) {
			u32 r = prandom_u32_state(&t->rnd);
			struct nsmall_test_kind *k = &kind[i];
			struct neighbour *n;
			unsigned long use;

			memset(k, 0, sizeof(*k));
			k->state = nsmall_test_states[r % ARRAY_SIZE(nsmall_test_states)];
			k->flags = (r >> 4) % 16 == 0 ? NTF_EXT_LEARNED : 0;
			k->queued = k->state == NUD_INCOMPLETE && (r >> 8) & 1;
			k->held = (r >> 9) % 8 == 0 || keep_all;
			/* few distinct times, so classes tie on them too */
			k->used = jiffies - ((r >> 12) % 8) * HZ;
			k->confirmed = jiffies - ((r >> 16) % 8) * HZ;

			n = nsmall_test_neigh(test, htonl(0x0a000000 + i),
					      &nsmall_test_devs[0]);
			n->nud_state = k->state;
			n->flags = k->flags;
			n->used = k->used;
			n->confirmed = k->confirmed;
			if (k->held)
				refcount_inc(&n->refcnt);
			if (k->queued) {
				struct sk_buff *skb = alloc_skb(0, GFP_KERNEL);

				KUNIT_ASSERT_NOT_NULL(test, skb);
				__skb_queue_tail(&n->arp_queue, skb);
			}
			t->ref[i] = n;

			use = time_after(k->confirmed, k->used) ? k->confirmed : k->used;
			if (nsmall_test_rank(k) < best ||
			    (nsmall_test_rank(k) == best && time_before(use, best_use))) {
				best = nsmall_test_rank(k);
				best_use = use;
			}
		}
		write_lock_bh(&t->tbl.lock);
		for (i = 0; i < NSMALL_TEST_SLOTS; i++)
			KUNIT_EXPECT_NULL(test, nsmall_insert(t->c, t->ref[i]));
		got = nsmall_victim(t->c);
		for (i = 0; i < NSMALL_TEST_SLOTS; i++)
			nsmall_remove(t->c, t->ref[i]);
		write_unlock_bh(&t->tbl.lock);
		for (i = 0; i < NSMALL_TEST_SLOTS; i++)
			__skb_queue_purge(&t->ref[i]->arp_queue);

		if (best == 3) {
			KUNIT_EXPECT_EQ(test, got, -1);
		} else {
			const struct nsmall_test_kind *k;
			unsigned long use;

			KUNIT_ASSERT_GE(test, got, 0);
			k = &kind[got];
			use = time_after(k->confirmed, k->used) ? k->confirmed : k->used;
			KUNIT_EXPECT_EQ(test, nsmall_test_rank(k), best);
			KUNIT_EXPECT_EQ(test, use, best_use);
		}
	}
	kfree(t->c);
}

static struct kunit_case nsmall_test_cases[] = {
	KUNIT_CASE(nsmall_test_lookup_random),
	KUNIT_CASE(nsmall_test_walk),
	KUNIT_CASE(nsmall_test_victim),
	{}
};

static struct kunit_suite nsmall_test_suite = {
	.name = "neigh_small",
	.test_cases = nsmall_test_cases,
};

kunit_test_suite(nsmall_test_suite);
