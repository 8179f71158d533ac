// SPDX-License-Identifier: GPL-2.0
/*
 * neigh_small: the slot array. Lookups, insertion with eviction, removal
 * and walks; nothing here knows about modules or the core's registration.
 */
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <net/neighbour.h>

#include "neigh_small.h"

/* Writers hold the table's lock (the core takes it around every store
 * operation that changes the slots).
 */
static struct neighbour *nsmall_ent(const struct nsmall_cache *c, unsigned int i)
{
	return rcu_dereference_protected(c->ent[i],
					 lockdep_is_held(&c->store.tbl->lock));
}

/**
 * nsmall_alloc - an empty cache of @slots slots, in one allocation
 * @slots: how many entries it will hold
 * @gfp: allocation flags
 *
 * Return: the cache, or NULL when out of memory.
 */
struct nsmall_cache *nsmall_alloc(unsigned int slots, gfp_t gfp)
{
	struct nsmall_cache *c;
	size_t size;

	/* pointers first, then the 32-bit keys: no padding between */
	size = sizeof(*c) + slots * (sizeof(*c->ent) + sizeof(*c->devs) +
				     sizeof(*c->keys));
	c = kzalloc(size, gfp);
	if (!c)
		return NULL;
	c->slots = slots;
	c->ent = (struct neighbour __rcu **)(c + 1);
	c->devs = (const struct net_device **)(c->ent + slots);
	c->keys = (u32 *)(c->devs + slots);
	return c;
}

/**
 * nsmall_lookup - the entry for an address on a device
 * @c: the cache
 * @key: the IPv4 address, as the core keys ARP entries
 * @dev: the device
 *
 * Under rcu_read_lock(), in any context. The slot is read without a lock,
 * so the entry it points to is checked again: a slot may have been given
 * to another entry since its key was read.
 *
 * Return: the entry, without a reference, or NULL.
 */
struct neighbour *nsmall_lookup(const struct nsmall_cache *c, u32 key,
				const struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < c->slots; i++) {
		struct neighbour *n;

		if (READ_ONCE(c->keys[i]) != key ||
		    READ_ONCE(c->devs[i]) != dev)
			continue;
		n = rcu_dereference(c->ent[i]);
		if (n && n->dev == dev && neigh_key_eq32(n, &key))
			return n;
	}
	return NULL;
}

static void nsmall_fill(struct nsmall_cache *c, unsigned int i, struct neighbour *n)
{
	WRITE_ONCE(c->keys[i], *(u32 *)n->primary_key);
	WRITE_ONCE(c->devs[i], n->dev);
	rcu_assign_pointer(c->ent[i], n);
	c->used++;
}

static void nsmall_clear(struct nsmall_cache *c, unsigned int i)
{
	RCU_INIT_POINTER(c->ent[i], NULL);
	WRITE_ONCE(c->devs[i], NULL);
	WRITE_ONCE(c->keys[i], 0);
	c->used--;
}

/**
 * nsmall_class - how readily an entry is given up to make room
 * @n: an entry of the cache
 *
 * Read without the entry's lock, to choose; neigh_evict() checks again
 * under it. An entry is held when anything but the table and its own
 * pending timer has a reference: the timer does not count, or a flood of
 * addresses being resolved would pin every slot.
 *
 * Return: its class.
 */
enum nsmall_class nsmall_class(const struct neighbour *n)
{
	u8 state = READ_ONCE(n->nud_state);
	unsigned int holders = 1;

	if ((state & NUD_PERMANENT) || (READ_ONCE(n->flags) & NTF_EXT_LEARNED))
		return NSMALL_KEEP;
	if ((state & NUD_IN_TIMER) && timer_pending(&n->timer))
		holders++;
	if (refcount_read(&n->refcnt) > holders)
		return NSMALL_KEEP;
	if (state == NUD_NONE || (state & (NUD_FAILED | NUD_NOARP)))
		return NSMALL_IDLE;
	if (state == NUD_INCOMPLETE && skb_queue_empty_lockless(&n->arp_queue))
		return NSMALL_IDLE;
	if (state == NUD_STALE)
		return NSMALL_STALE;
	return NSMALL_ACTIVE;
}

/* When the entry was last of use: the later of its last use and its last
 * confirmation, since "used" alone is not updated when packets go out
 * through a cached header.
 */
static unsigned long nsmall_last_use(const struct neighbour *n)
{
	unsigned long used = READ_ONCE(n->used);
	unsigned long confirmed = READ_ONCE(n->confirmed);

	return time_after(confirmed, used) ? confirmed : used;
}

/**
 * nsmall_victim - the slot whose entry a new one should replace
 * @c: a full cache; the table's lock held
 *
 * The lowest class first (idle, then stale, then active), and within a
 * class the entry whose last use is oldest.
 *
 * Return: the slot, or -1 when every entry must be kept.
 */
int nsmall_victim(const struct nsmall_cache *c)
{
	enum nsmall_class best = NSMALL_KEEP;
	unsigned long best_use = 0;
	int victim = -1;
	unsigned int i;

	for (i = 0; i < c->slots; i++) {
		struct neighbour *n = nsmall_ent(c, i);
		enum nsmall_class class;
		unsigned long use;

		if (!n)
			continue;
		class = nsmall_class(n);
		if (class > best)
			continue;
		use = nsmall_last_use(n);
		if (class == best && !time_before(use, best_use))
			continue;
		best = class;
		best_use = use;
		victim = i;
	}
	return victim;
}

/**
 * nsmall_insert - link a new entry, making room if the cache is full
 * @c: the cache; the table's lock held for writing
 * @n: the entry
 *
 * Return: NULL when @n was linked; the entry already there for its address
 * and device; ERR_PTR(-ENOBUFS) when every slot holds an entry that must
 * be kept.
 */
struct neighbour *nsmall_insert(struct nsmall_cache *c, struct neighbour *n)
{
	int free = -1;
	unsigned int i;

	for (i = 0; i < c->slots; i++) {
		struct neighbour *e = nsmall_ent(c, i);

		if (!e) {
			if (free < 0)
				free = i;
			continue;
		}
		if (e->dev == n->dev && neigh_key_eq32(e, n->primary_key))
			return e;
	}
	if (free < 0) {
		struct neighbour *old;

		free = nsmall_victim(c);
		if (free < 0)
			return ERR_PTR(-ENOBUFS);
		old = nsmall_ent(c, free);
		/* The core rechecks under the entry's lock: a reference
		 * taken since nsmall_victim() looked keeps it.
		 */
		if (!neigh_evict(old))
			return ERR_PTR(-ENOBUFS);
		nsmall_clear(c, free);
	}
	nsmall_fill(c, free, n);
	return NULL;
}

/**
 * nsmall_remove - unlink an entry
 * @c: the cache; the table's lock held for writing
 * @n: the entry, which the core has marked dead or is about to
 */
void nsmall_remove(struct nsmall_cache *c, struct neighbour *n)
{
	unsigned int i;

	for (i = 0; i < c->slots; i++) {
		if (nsmall_ent(c, i) == n) {
			nsmall_clear(c, i);
			return;
		}
	}
	WARN_ONCE(1, "neigh_small: removing an entry that is not in the cache\n");
}

/**
 * nsmall_next - the first entry at a slot at or after *@pos
 * @c: the cache, under RCU or the table's lock
 * @pos: the slot to start from; set to the entry's slot
 *
 * Return: the entry, or NULL when there is none.
 */
struct neighbour *nsmall_next(const struct nsmall_cache *c, unsigned int *pos)
{
	unsigned int i;

	for (i = *pos; i < c->slots; i++) {
		struct neighbour *n = rcu_dereference_check(c->ent[i],
				lockdep_is_held(&c->store.tbl->lock));

		if (n) {
			*pos = i;
			return n;
		}
	}
	*pos = c->slots;
	return NULL;
}
