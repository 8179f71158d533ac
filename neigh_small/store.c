// SPDX-License-Identifier: GPL-2.0
/*
 * neigh_small: the slot array as a store of the neighbour core, built in
 * (serving ARP from boot) or as a module.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <net/arp.h>
#include <net/neighbour.h>

#include "neigh_small.h"

static unsigned int slots = CONFIG_NEIGH_SMALL_SLOTS;
module_param(slots, uint, 0444);
MODULE_PARM_DESC(slots, "Entries the ARP cache holds, for all namespaces together (4-4096)");

static struct neigh_store_ops nsmall_ops;

/**
 * neigh_small_create - an empty cache for a table
 * @tbl: the table; only ARP's (4-byte keys) can be served
 *
 * Return: its store, or NULL when out of memory or @tbl is not ARP's.
 */
struct neigh_store *neigh_small_create(struct neigh_table *tbl)
{
	struct nsmall_cache *c;

	if (tbl->key_len != sizeof(u32))
		return NULL;
	c = nsmall_alloc(clamp(slots, NSMALL_SLOTS_MIN, NSMALL_SLOTS_MAX), GFP_KERNEL);
	if (!c)
		return NULL;
	c->store.ops = &nsmall_ops;
	c->store.tbl = tbl;
	return &c->store;
}

static void nsmall_destroy(struct neigh_store *store)
{
	struct nsmall_cache *c = nsmall_cache(store);

	WARN_ON_ONCE(c->used);
	kfree(c);
}

/**
 * neigh_small_lookup - the entry for an address on a device
 * @store: the table's store
 * @pkey: the IPv4 address
 * @dev: the device
 *
 * Called by the core on every transmit, under RCU.
 *
 * Return: the entry, without a reference, or NULL.
 */
struct neighbour *neigh_small_lookup(const struct neigh_store *store,
				     const void *pkey,
				     const struct net_device *dev)
{
	return nsmall_lookup(nsmall_cache(store), *(const u32 *)pkey, dev);
}

static struct neighbour *nsmall_store_insert(struct neigh_store *store,
					     struct neighbour *n)
{
	return nsmall_insert(nsmall_cache(store), n);
}

static void nsmall_store_remove(struct neigh_store *store, struct neighbour *n)
{
	nsmall_remove(nsmall_cache(store), n);
}

static struct neighbour *nsmall_store_next(const struct neigh_store *store,
					   unsigned int *pos)
{
	return nsmall_next(nsmall_cache(store), pos);
}

static unsigned int nsmall_capacity(const struct neigh_store *store)
{
	return nsmall_cache(store)->slots;
}

static struct neigh_store_ops nsmall_ops = {
	.name		= "small",
	.owner		= THIS_MODULE,
	.create		= neigh_small_create,
	.destroy	= nsmall_destroy,
	.lookup		= neigh_small_lookup,
	.insert		= nsmall_store_insert,
	.remove		= nsmall_store_remove,
	.next		= nsmall_store_next,
	.capacity	= nsmall_capacity,
};

#if IS_MODULE(CONFIG_NEIGH_SMALL)
static bool activate;
module_param(activate, bool, 0444);
MODULE_PARM_DESC(activate, "Move the ARP table to neigh_small when loaded; the load fails if that fails");

static int __init nsmall_module_init(void)
{
	int err;

	err = neigh_store_register(&nsmall_ops);
	if (err || !activate)
		return err;
	err = neigh_store_switch(&arp_tbl, &nsmall_ops);
	if (err)
		neigh_store_unregister(&nsmall_ops);
	return err;
}
module_init(nsmall_module_init);

/* No table uses the store now: each holds a reference on this module. */
static void __exit nsmall_module_exit(void)
{
	neigh_store_unregister(&nsmall_ops);
}
module_exit(nsmall_module_exit);

MODULE_ALIAS("neigh-backend-small");
#endif
MODULE_DESCRIPTION("A fixed-size ARP cache, for small systems");
MODULE_LICENSE("GPL");
