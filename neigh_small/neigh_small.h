/* SPDX-License-Identifier: GPL-2.0 */
/*
 * neigh_small: the ARP table as a fixed number of slots, for small systems.
 *
 * The slots are allocated once, when the cache is created, and never
 * grown. A lookup scans the compact key array (address, device) and then
 * checks the entry the slot points to, so it needs no lock: it runs under
 * RCU, in softirq, on every transmit. Writers hold the table's lock.
 *
 * Entries are the core's refcounted struct neighbour, freed after a grace
 * period. A slot may be given to another entry at once: a lookup that
 * read the old key finds an entry whose own key or device does not match,
 * and moves on, as it would have if it had come a moment later. The slot
 * array itself is only freed after a grace period, once no table uses it.
 *
 * When every slot is taken, a new entry replaces the one that matters
 * least (see nsmall_victim()); one that is permanent, externally learned or
 * held by anything but the table and its own timer is never replaced.
 */
#ifndef _NEIGH_SMALL_H
#define _NEIGH_SMALL_H

#include <linux/types.h>
#include <net/neighbour.h>

/* The range of the slot count (the Kconfig range and the parameter's). */
#define NSMALL_SLOTS_MIN	4
#define NSMALL_SLOTS_MAX	4096

/**
 * struct nsmall_cache - one table's slots
 * @store: what the core knows of it
 * @slots: how many there are
 * @used: how many hold an entry
 * @ent: the entries, NULL for a free slot
 * @devs: each slot's device, for lookups to compare first
 * @keys: each slot's IPv4 address, likewise
 */
struct nsmall_cache {
	struct neigh_store store;
	unsigned int slots;
	unsigned int used;
	struct neighbour __rcu **ent;
	const struct net_device **devs;
	u32 *keys;
};

static inline struct nsmall_cache *nsmall_cache(const struct neigh_store *store)
{
	return container_of(store, struct nsmall_cache, store);
}

/* The eviction classes, in the order entries are given up. */
enum nsmall_class {
	NSMALL_IDLE,	/* FAILED, NOARP, NONE, or INCOMPLETE with nothing queued */
	NSMALL_STALE,	/* STALE */
	NSMALL_ACTIVE,	/* anything else that is not held */
	NSMALL_KEEP,	/* permanent, externally learned, or held: never */
};

struct nsmall_cache *nsmall_alloc(unsigned int slots, gfp_t gfp);
struct neighbour *nsmall_lookup(const struct nsmall_cache *c, u32 key,
				const struct net_device *dev);
struct neighbour *nsmall_insert(struct nsmall_cache *c, struct neighbour *n);
void nsmall_remove(struct nsmall_cache *c, struct neighbour *n);
struct neighbour *nsmall_next(const struct nsmall_cache *c, unsigned int *pos);
enum nsmall_class nsmall_class(const struct neighbour *n);
int nsmall_victim(const struct nsmall_cache *c);

/*
 * Built in, the core calls these two directly and <net/neighbour.h>
 * declares them; declared here as well so that a modular build, where
 * only the store ops reach them, has their prototypes too.
 */
struct neigh_store *neigh_small_create(struct neigh_table *tbl);
struct neighbour *neigh_small_lookup(const struct neigh_store *store,
				     const void *pkey,
				     const struct net_device *dev);

#endif
