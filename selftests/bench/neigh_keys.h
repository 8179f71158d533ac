/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keys and the oracle of the ARP lookup benches (neigh_bench.c, and
 * report_bench.c of `make report`): both time lookups over the same kind
 * of keys and check every answer the same way before timing.
 */
#ifndef _NEIGH_KEYS_H
#define _NEIGH_KEYS_H

#include <linux/netdevice.h>
#include <linux/prandom.h>
#include <net/neighbour.h>

/**
 * bench_neigh_keys() - draw the keys of a run
 * @keys: @count keys to fill (network order, as the lookup takes them)
 * @count: how many
 * @seed: seed of the draw
 * @base: address of the first of @neighs consecutive addresses with an
 *	entry
 * @neighs: how many
 *
 * Seven keys in eight are the entries' addresses, in random order; the
 * eighth is one of the @neighs addresses after them, which have no entry.
 *
 * Return: how many keys are hits.
 */
static inline unsigned int bench_neigh_keys(u32 *keys, unsigned int count,
					    unsigned int seed, __be32 base,
					    unsigned int neighs)
{
	unsigned int r, hits = 0;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, seed);
	for (r = 0; r < count; r++) {
		u32 v = prandom_u32_state(&rnd);
		u32 i = (v >> 3) % neighs;

		if (v & 7)
			hits++;
		else
			i += neighs;
		keys[r] = (__force u32)htonl(ntohl(base) + i);
	}
	return hits;
}

/**
 * bench_neigh_wrong() - whether a lookup's answer is wrong
 * @n: what the lookup of @key on @dev returned
 * @dev: the device
 * @key: the key (network order)
 * @base: as for bench_neigh_keys()
 * @neighs: as for bench_neigh_keys()
 *
 * Return: true unless @n is the entry of @key on @dev for a key with an
 * entry, or NULL for one without.
 */
static inline bool bench_neigh_wrong(const struct neighbour *n,
				     const struct net_device *dev, u32 key,
				     __be32 base, unsigned int neighs)
{
	bool hit = ntohl((__force __be32)key) - ntohl(base) < neighs;

	return !n != !hit ||
	       (n && (n->dev != dev || *(u32 *)n->primary_key != key));
}

#endif /* _NEIGH_KEYS_H */
