// SPDX-License-Identifier: GPL-2.0
/*
 * fib_simple: the table operations the IPv4 core calls (struct
 * fib_table_ops), with the trie's semantics for everything user space and
 * the rest of the kernel can observe.
 */

#include <linux/inetdevice.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/fib_notifier.h>
#include <net/ip_fib.h>
#include <net/route.h>

#include "fib_simple.h"

#ifndef CONFIG_IP_FIB_SIMPLE_MAX_ROUTES
#define CONFIG_IP_FIB_SIMPLE_MAX_ROUTES 1024
#endif

static unsigned int max_routes = CONFIG_IP_FIB_SIMPLE_MAX_ROUTES;
module_param(max_routes, uint, 0644);
MODULE_PARM_DESC(max_routes, "Most routes a table may hold (the kernel's own routes for local addresses are never refused)");

static struct fib_alias *fs_first(struct fs_prefix *p, u32 tb_id)
{
	struct fib_alias *fa;

	hlist_for_each_entry_rcu(fa, &p->aliases, fa_list,
				 lockdep_rtnl_is_held())
		if (fa->tb_id == tb_id)
			return fa;
	return NULL;
}

/* Where a route of table @tb_id with @dscp and priority @prio belongs in
 * @p's list: before the first route of that table with a lower DSCP, or
 * the same DSCP and a priority not below @prio. NULL: at the end of the
 * table's routes.
 */
struct fib_alias *fs_position(struct fs_prefix *p, u32 tb_id, dscp_t dscp,
			      u32 prio)
{
	u8 ds = inet_dscp_to_dsfield(dscp);
	struct fib_alias *fa;

	hlist_for_each_entry(fa, &p->aliases, fa_list) {
		u8 fds = inet_dscp_to_dsfield(fa->fa_dscp);

		if (fa->tb_id != tb_id) {
			if (fa->tb_id < tb_id)
				break;
			continue;
		}
		if (fds < ds || (fds == ds && fa->fa_info->fib_priority >= prio))
			return fa;
	}
	return NULL;
}

void fs_link(struct fs_prefix *p, struct fib_alias *new,
	     struct fib_alias *before)
{
	struct fib_alias *fa, *last = NULL;

	if (before) {
		hlist_add_before_rcu(&new->fa_list, &before->fa_list);
		return;
	}
	hlist_for_each_entry(fa, &p->aliases, fa_list) {
		if (fa->tb_id < new->tb_id)
			break;
		last = fa;
	}
	if (last)
		hlist_add_behind_rcu(&new->fa_list, &last->fa_list);
	else
		hlist_add_head_rcu(&new->fa_list, &p->aliases);
}

/* Take @fa off @p's list; a prefix left empty leaves the array. The
 * caller releases the route's fib_info and frees it after a grace period.
 */
static void fs_unlink(struct fs_table *t, struct fs_prefix *p,
		      struct fib_alias *fa)
{
	hlist_del_rcu(&fa->fa_list);
	(*fs_count(t, fa->tb_id))--;
	if (hlist_empty(&p->aliases))
		fs_publish(t, NULL);
}

static void fs_entry_info(struct fib_entry_notifier_info *info,
			  struct fs_prefix *p, struct fib_alias *fa,
			  struct netlink_ext_ack *extack)
{
	*info = (struct fib_entry_notifier_info) {
		.info.extack = extack,
		.dst = ntohl(p->key),
		.dst_len = p->plen,
		.fi = fa->fa_info,
		.dscp = fa->fa_dscp,
		.type = fa->fa_type,
		.tb_id = fa->tb_id,
	};
}

static int fs_notify(struct net *net, enum fib_event_type event,
		     struct fs_prefix *p, struct fib_alias *fa,
		     struct netlink_ext_ack *extack)
{
	struct fib_entry_notifier_info info;

	fs_entry_info(&info, p, fa, extack);
	return call_fib4_notifiers(net, event, &info.info);
}

/* Offload drivers see only the first route of a prefix in each table:
 * when that one goes, the next takes its place, or the prefix goes.
 */
static void fs_notify_del(struct net *net, struct fs_prefix *p,
			  struct fib_alias *fa, struct netlink_ext_ack *extack)
{
	struct fib_alias *next;

	if (fs_first(p, fa->tb_id) != fa)
		return;
	next = hlist_entry_safe(fa->fa_list.next, struct fib_alias, fa_list);
	if (next && next->tb_id == fa->tb_id)
		fs_notify(net, FIB_EVENT_ENTRY_REPLACE, p, next, extack);
	else
		fs_notify(net, FIB_EVENT_ENTRY_DEL, p, fa, extack);
}

/* Routes fib_magic() adds for local addresses: it ignores errors, so they
 * must never be refused for room.
 */
static bool fs_kernel_route(const struct fib_config *cfg)
{
	return cfg->fc_protocol == RTPROT_KERNEL && !cfg->fc_nlinfo.nlh;
}

static int fs_replace(struct net *net, struct fib_table *tb,
		      struct fs_prefix *p, struct fib_alias *old,
		      struct fib_info *fi, struct fib_config *cfg,
		      struct netlink_ext_ack *extack)
{
	struct fib_alias *new = kmalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	u8 state;
	int err;

	if (!new) {
		fib_release_info(fi);
		return -ENOBUFS;
	}
	*new = *old;
	new->fa_info = fi;
	new->fa_type = cfg->fc_type;
	state = READ_ONCE(old->fa_state);
	new->fa_state = state & ~FA_S_ACCESSED;
	new->fa_default = -1;
	new->offload = 0;
	new->trap = 0;
	new->offload_failed = 0;
	hlist_replace_rcu(&old->fa_list, &new->fa_list);

	if (fs_first(p, tb->tb_id) == new) {
		err = fs_notify(net, FIB_EVENT_ENTRY_REPLACE, p, new, extack);
		if (err) {
			hlist_replace_rcu(&new->fa_list, &old->fa_list);
			kfree_rcu(new, rcu);
			fib_release_info(fi);
			return err;
		}
	}
	rtmsg_fib(RTM_NEWROUTE, p->key, new, p->plen, tb->tb_id,
		  &cfg->fc_nlinfo, NLM_F_REPLACE);
	fib_release_info(old->fa_info);
	kfree_rcu(old, rcu);
	if (state & FA_S_ACCESSED)
		rt_cache_flush(net);
	return 0;
}

/* RTM_NEWROUTE and SIOCADDRT, under RTNL. */
static int fs_insert(struct net *net, struct fib_table *tb,
		     struct fib_config *cfg, struct netlink_ext_ack *extack)
{
	struct fs_prefix *p, *newp = NULL;
	struct fs_table *t = fs_table(tb);
	struct fib_alias *fa, *new;
	u8 plen = cfg->fc_dst_len;
	u16 nlflags = NLM_F_EXCL;
	struct fib_info *fi;
	int err;

	if (plen > 32 || (cfg->fc_dst & ~inet_make_mask(plen))) {
		NL_SET_ERR_MSG(extack, "Invalid prefix for given prefix length");
		return -EINVAL;
	}
	fi = fib_create_info(cfg, extack);
	if (IS_ERR(fi))
		return PTR_ERR(fi);

	p = fs_find(fs_routes(t), cfg->fc_dst, plen);
	fa = p ? fs_position(p, tb->tb_id, cfg->fc_dscp, fi->fib_priority) :
		 NULL;
	if (fa && fa->fa_dscp == cfg->fc_dscp &&
	    fa->fa_info->fib_priority == fi->fib_priority) {
		struct fib_alias *first = fa, *same = NULL;

		err = -EEXIST;
		if (cfg->fc_nlflags & NLM_F_EXCL)
			goto out;
		nlflags = 0;
		/* Look for the very same route, and for the end of the
		 * routes with this DSCP and priority.
		 */
		hlist_for_each_entry_from(fa, fa_list) {
			if (fa->tb_id != tb->tb_id ||
			    fa->fa_dscp != cfg->fc_dscp ||
			    fa->fa_info->fib_priority != fi->fib_priority)
				break;
			if (fa->fa_type == cfg->fc_type && fa->fa_info == fi) {
				same = fa;
				break;
			}
		}
		if (cfg->fc_nlflags & NLM_F_REPLACE) {
			if (same) {
				if (same == first)
					err = 0;
				goto out;
			}
			return fs_replace(net, tb, p, first, fi, cfg, extack);
		}
		if (same)
			goto out;
		if (cfg->fc_nlflags & NLM_F_APPEND)
			nlflags |= NLM_F_APPEND;
		else
			fa = first;
	}

	err = -ENOENT;
	if (!(cfg->fc_nlflags & NLM_F_CREATE))
		goto out;
	nlflags |= NLM_F_CREATE;

	if (*fs_count(t, tb->tb_id) >= READ_ONCE(max_routes) &&
	    !fs_kernel_route(cfg)) {
		fsx_extack_fmt(extack,
			       "table is full (fib_simple.max_routes)",
			       "table %u is full (%u routes, fib_simple.max_routes)",
			       tb->tb_id, *fs_count(t, tb->tb_id));
		err = -ENOSPC;
		goto out;
	}

	err = -ENOBUFS;
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		goto out;
	new->fa_info = fi;
	new->fa_dscp = cfg->fc_dscp;
	new->fa_type = cfg->fc_type;
	new->fa_slen = 32 - plen;
	new->tb_id = tb->tb_id;
	new->fa_default = -1;
	if (!p) {
		newp = kzalloc(sizeof(*newp), GFP_KERNEL_ACCOUNT);
		if (!newp) {
			kfree(new);
			goto out;
		}
		newp->key = cfg->fc_dst;
		newp->plen = plen;
		p = newp;
	}
	fs_link(p, new, fa);
	if (newp) {
		err = fs_publish(t, newp);
		if (err) {
			kfree(newp);
			kfree(new);
			goto out;
		}
	}
	(*fs_count(t, tb->tb_id))++;

	if (fs_first(p, tb->tb_id) == new) {
		err = fs_notify(net, FIB_EVENT_ENTRY_REPLACE, p, new, extack);
		if (err) {
			fs_unlink(t, p, new);
			kfree_rcu(new, rcu);
			goto out;
		}
	}
	if (!plen)
		tb->tb_num_default++;
	rt_cache_flush(cfg->fc_nlinfo.nl_net);
	rtmsg_fib(RTM_NEWROUTE, cfg->fc_dst, new, plen, tb->tb_id,
		  &cfg->fc_nlinfo, nlflags);
	return 0;
out:
	fib_release_info(fi);
	return err;
}

static bool fs_del_match(struct net *net, struct fib_alias *fa,
			 struct fib_config *cfg, struct netlink_ext_ack *extack)
{
	struct fib_info *fi = fa->fa_info;

	return (!cfg->fc_type || fa->fa_type == cfg->fc_type) &&
	       (cfg->fc_scope == RT_SCOPE_NOWHERE ||
		fi->fib_scope == cfg->fc_scope) &&
	       (!cfg->fc_prefsrc || fi->fib_prefsrc == cfg->fc_prefsrc) &&
	       (!cfg->fc_protocol || fi->fib_protocol == cfg->fc_protocol) &&
	       !fib_nh_match(net, cfg, fi, extack) &&
	       fib_metrics_match(cfg, fi);
}

/* RTM_DELROUTE and SIOCDELRT, under RTNL: the first route of the prefix,
 * table and DSCP that matches what the request names.
 */
static int fs_delete(struct net *net, struct fib_table *tb,
		     struct fib_config *cfg, struct netlink_ext_ack *extack)
{
	struct fs_table *t = fs_table(tb);
	struct fs_prefix *p;
	struct fib_alias *fa;

	if (cfg->fc_dst_len > 32)
		return -EINVAL;
	p = fs_find(fs_routes(t), cfg->fc_dst, cfg->fc_dst_len);
	if (!p)
		return -ESRCH;
	fa = fs_position(p, tb->tb_id, cfg->fc_dscp, 0);
	hlist_for_each_entry_from(fa, fa_list) {
		if (fa->tb_id != tb->tb_id || fa->fa_dscp != cfg->fc_dscp)
			return -ESRCH;
		if (fs_del_match(net, fa, cfg, extack))
			break;
	}
	if (!fa)
		return -ESRCH;

	fs_notify_del(net, p, fa, extack);
	rtmsg_fib(RTM_DELROUTE, p->key, fa, p->plen, tb->tb_id,
		  &cfg->fc_nlinfo, 0);
	if (!p->plen)
		tb->tb_num_default--;
	fs_unlink(t, p, fa);
	if (READ_ONCE(fa->fa_state) & FA_S_ACCESSED)
		rt_cache_flush(cfg->fc_nlinfo.nl_net);
	fib_release_info(fa->fa_info);
	kfree_rcu(fa, rcu);
	return 0;
}

/* Drop the table's routes through dead nexthops, and with @flush_all its
 * reject routes too (netns exit). Keys are visited in descending order,
 * as the trie does, so notifications come in the same order.
 */
static int fs_flush(struct net *net, struct fib_table *tb, bool flush_all)
{
	struct nl_info info = { .nl_net = net };
	struct fs_table *t = fs_table(tb);
	struct fs_array *a = fs_routes(t);
	u32 key = U32_MAX;
	int found = 0;

	if (!a)
		return 0;
	do {
		unsigned int i;

		for (i = 0; i < a->len; i++) {
			struct fs_prefix *p = fs_prefixes(a)[i];
			struct hlist_node *tmp;
			struct fib_alias *fa;

			if (ntohl(p->key) != key)
				continue;
			hlist_for_each_entry_safe(fa, tmp, &p->aliases, fa_list) {
				struct fib_info *fi = fa->fa_info;

				if (fa->tb_id != tb->tb_id ||
				    !(fi->fib_flags & RTNH_F_DEAD ||
				      (flush_all && fib_props[fa->fa_type].error)))
					continue;
				fs_notify_del(net, p, fa, NULL);
				if (fi->pfsrc_removed)
					rtmsg_fib(RTM_DELROUTE, p->key, fa,
						  p->plen, tb->tb_id, &info, 0);
				hlist_del_rcu(&fa->fa_list);
				(*fs_count(t, fa->tb_id))--;
				if (!p->plen)
					tb->tb_num_default--;
				fib_release_info(fi);
				kfree_rcu(fa, rcu);
				found++;
			}
		}
	} while (fs_key_next(a, &key, false));
	if (found)
		fs_publish(t, NULL);
	return found;
}

/* Free a prefix no reader can see, with its routes when @aliases. */
static void fs_prefix_free(struct fs_prefix *p, bool aliases)
{
	struct hlist_node *tmp;
	struct fib_alias *fa;

	if (aliases)
		hlist_for_each_entry_safe(fa, tmp, &p->aliases, fa_list)
			kfree(fa);
	kfree(p);
}

static void fs_free(struct fs_table *t)
{
	struct fs_array *a = rcu_dereference_protected(t->routes, true);
	unsigned int i;

	for (i = 0; a && i < a->len; i++)
		fs_prefix_free(fs_prefixes(a)[i], true);
	kvfree(a);
}

static struct fib_table *fs_table_new(u32 id, struct fib_table *alias)
{
	struct fib_table *tb;

	tb = kzalloc(sizeof(*tb) + (alias ? 0 : sizeof(struct fs_table)),
		     GFP_KERNEL);
	if (!tb)
		return NULL;
	tb->tb_id = id;
	tb->tb_ops = &fib_simple_ops;
	tb->tb_data = alias ? alias->__data : tb->__data;
	return tb;
}

static void fs_table_free_rcu(struct rcu_head *head)
{
	struct fib_table *tb = container_of(head, struct fib_table, rcu);

	/* A table flushed at netns exit holds no route; should one remain,
	 * its memory goes, its fib_info reference (as with the trie) stays.
	 */
	if (tb->tb_data == tb->__data)
		fs_free(fs_table(tb));
	kfree(tb);
}

static void fs_table_free(struct fib_table *tb)
{
	call_rcu(&tb->rcu, fs_table_free_rcu);
}

/* Give @t a copy of @p holding @p's routes of table @tb_id, if any. */
static int fs_copy_prefix(struct fs_table *t, struct fs_prefix *p, u32 tb_id)
{
	struct fib_alias *fa, *copy, *last = NULL;
	struct fs_prefix *np = NULL;

	hlist_for_each_entry(fa, &p->aliases, fa_list) {
		if (fa->tb_id != tb_id)
			continue;
		if (!np) {
			np = kzalloc(sizeof(*np), GFP_KERNEL_ACCOUNT);
			if (!np)
				return -ENOMEM;
			np->key = p->key;
			np->plen = p->plen;
		}
		copy = kmemdup(fa, sizeof(*fa), GFP_KERNEL_ACCOUNT);
		if (!copy)
			goto fail;
		if (last)
			hlist_add_behind_rcu(&copy->fa_list, &last->fa_list);
		else
			hlist_add_head_rcu(&copy->fa_list, &np->aliases);
		last = copy;
		(*fs_count(t, tb_id))++;
	}
	if (!np || !fs_publish(t, np))
		return 0;
fail:
	fs_prefix_free(np, true);
	return -ENOMEM;
}

/* The first rule was added: the local table, until now sharing main's
 * array, gets its own, with copies of its routes. main drops its copies
 * in fs_flush_external(); the fib_info references pass to the copies.
 */
static struct fib_table *fs_unmerge(struct fib_table *shared)
{
	struct fs_array *a = fs_routes(fs_table(shared));
	struct fib_table *tb;
	unsigned int i;

	if (shared->tb_data == shared->__data)
		return shared;
	tb = fs_table_new(shared->tb_id, NULL);
	if (!tb)
		return NULL;
	for (i = 0; a && i < a->len; i++) {
		if (fs_copy_prefix(fs_table(tb), fs_prefixes(a)[i], tb->tb_id)) {
			/* Nothing reads the new table yet. */
			fs_free(fs_table(tb));
			kfree(tb);
			return NULL;
		}
	}
	return tb;
}

/* After fs_unmerge(): drop from main the copies of other tables' routes. */
static void fs_flush_external(struct fib_table *tb)
{
	struct fs_table *t = fs_table(tb);
	struct fs_array *a = fs_routes(t);
	unsigned int i;

	for (i = 0; a && i < a->len; i++) {
		struct hlist_node *tmp;
		struct fib_alias *fa;

		hlist_for_each_entry_safe(fa, tmp, &fs_prefixes(a)[i]->aliases,
					  fa_list) {
			if (fa->tb_id == tb->tb_id)
				continue;
			hlist_del_rcu(&fa->fa_list);
			(*fs_count(t, fa->tb_id))--;
			kfree_rcu(fa, rcu);
		}
	}
	fs_publish(t, NULL);
}

#ifdef CONFIG_IP_FIB_BACKENDS
/* Moving tables between implementations at run time (fib_backend_switch()):
 * only where more than one can serve them.
 */

/* Count the prefixes of @from: its dump order keeps each one's routes
 * together.
 */
static unsigned int fs_count_prefixes(struct fib_table *from)
{
	unsigned int n = 0, skip = 0;
	u8 slen = U8_MAX;
	struct fib_alias *fa;
	u32 key = 0;

	while ((fa = from->tb_ops->walk(from, &key, &skip)) != NULL) {
		if (!skip || fa->fa_slen != slen)
			n++;
		slen = fa->fa_slen;
		skip++;
	}
	return n;
}

/* Fill @prefixes, at most @n, with copies of @from's routes; *@done
 * counts the prefixes made, which the caller frees on failure.
 */
static int fs_adopt_routes(struct fib_table *tb, struct fib_table *from,
			   struct fs_prefix **prefixes, unsigned int n,
			   unsigned int *done, struct netlink_ext_ack *extack)
{
	unsigned int skip = 0, max = READ_ONCE(max_routes);
	struct fs_table *t = fs_table(tb);
	struct fib_alias *fa, *copy;
	struct fs_prefix *p = NULL;
	u32 key = 0;

	while ((fa = from->tb_ops->walk(from, &key, &skip)) != NULL) {
		unsigned int *count = fs_count(t, fa->tb_id);

		/* As if inserted one by one: the kernel's routes pass. */
		if (*count >= max &&
		    fa->fa_info->fib_protocol != RTPROT_KERNEL) {
			fsx_extack_fmt(extack,
				       "a table has more routes than fib_simple.max_routes",
				       "table %u has more routes than fib_simple.max_routes (%u)",
				       fa->tb_id, max);
			return -ENOSPC;
		}
		if (!p || htonl(key) != p->key || 32 - fa->fa_slen != p->plen) {
			if (WARN_ON_ONCE(*done == n))
				return -EINVAL;
			p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
			if (!p)
				goto nomem;
			p->key = htonl(key);
			p->plen = 32 - fa->fa_slen;
			prefixes[(*done)++] = p;
		}
		copy = kmemdup(fa, sizeof(*fa), GFP_KERNEL_ACCOUNT);
		if (!copy)
			goto nomem;
		/* The walk gives a prefix's routes in list order. */
		fs_link(p, copy, NULL);
		(*count)++;
		skip++;
	}
	return 0;
nomem:
	NL_SET_ERR_MSG_MOD(extack, "no memory for the routes");
	return -ENOMEM;
}

/* Give @tb, new and unpublished, copies of the routes of @from, another
 * implementation's table, sharing their fib_info references. Under RTNL.
 */
static int fs_adopt(struct fib_table *tb, struct fib_table *from,
		    struct netlink_ext_ack *extack)
{
	unsigned int i, done = 0, n = fs_count_prefixes(from);
	struct fs_prefix **prefixes;
	int err;

	if (!n)
		return 0;
	prefixes = kvcalloc(n, sizeof(*prefixes), GFP_KERNEL);
	if (!prefixes) {
		NL_SET_ERR_MSG_MOD(extack, "no memory for the routes");
		return -ENOMEM;
	}
	err = fs_adopt_routes(tb, from, prefixes, n, &done, extack);
	if (!err && done != n)
		err = -EINVAL;
	if (!err) {
		err = fs_publish_all(fs_table(tb), prefixes, n);
		if (err)
			NL_SET_ERR_MSG_MOD(extack, "no memory for the array");
	}
	if (err)
		for (i = 0; i < done; i++)
			fs_prefix_free(prefixes[i], true);
	kvfree(prefixes);
	return err;
}

/* Free a table nothing reads any more, leaving the fib_info references of
 * its routes to the table that holds copies of them now.
 */
static void fs_discard(struct fib_table *tb)
{
	if (tb->tb_data == tb->__data)
		fs_free(fs_table(tb));
	kfree(tb);
}
#endif

/* One route of a dump; the position within its exceptions in *@i_fa. */
static int fs_dump_one(struct fib_table *tb, u32 key, struct fib_alias *fa,
		       struct sk_buff *skb, struct netlink_callback *cb,
		       struct fib_dump_filter *filter, int s_fa, int *i_fa)
{
	unsigned int flags = NLM_F_MULTI;
	struct fib_info *fi = fa->fa_info;
	int err;

	*i_fa = 0;
	if (fa->tb_id != tb->tb_id)
		return 0;
	if (filter->filter_set &&
	    ((filter->rt_type && fa->fa_type != filter->rt_type) ||
	     (filter->protocol && fi->fib_protocol != filter->protocol) ||
	     (filter->dev && !fib_info_nh_uses_dev(fi, filter->dev))))
		return 0;
	if (filter->filter_set || !filter->dump_exceptions ||
	    !filter->dump_routes)
		flags |= NLM_F_DUMP_FILTERED;

	if (filter->dump_routes) {
		if (!s_fa) {
			struct fib_rt_info fri = {
				.fi = fi,
				.tb_id = tb->tb_id,
				.dst = htonl(key),
				.dst_len = 32 - fa->fa_slen,
				.dscp = fa->fa_dscp,
				.type = fa->fa_type,
				.offload = READ_ONCE(fa->offload),
				.trap = READ_ONCE(fa->trap),
				.offload_failed = READ_ONCE(fa->offload_failed),
			};

			err = fib_dump_info(skb, NETLINK_CB(cb->skb).portid,
					    cb->nlh->nlmsg_seq, RTM_NEWROUTE,
					    &fri, flags);
			if (err < 0)
				return err;
		}
		(*i_fa)++;
	}
	if (filter->dump_exceptions)
		return fib_dump_info_fnhe(skb, cb, tb->tb_id, fi, i_fa, s_fa,
					  flags);
	return 0;
}

/* RTM_GETROUTE dump under RCU. It resumes from the key and the position
 * among that key's routes (cb->args[3], [4]) and the position among the
 * route's exceptions ([5]): a cookie that concurrent changes cannot make
 * point into freed memory.
 */
static int fs_dump(struct fib_table *tb, struct sk_buff *skb,
		   struct netlink_callback *cb, struct fib_dump_filter *filter)
{
	unsigned int skip = cb->args[4];
	int s_fa = cb->args[5], i_fa;
	u32 key = cb->args[3];
	struct fib_alias *fa;

	while ((fa = fs_walk(tb, &key, &skip))) {
		int err = fs_dump_one(tb, key, fa, skb, cb, filter, s_fa,
				      &i_fa);

		if (err < 0) {
			cb->args[3] = key;
			cb->args[4] = skip;
			cb->args[5] = i_fa;
			return err;
		}
		skip++;
		s_fa = 0;
	}
	cb->args[3] = key;
	cb->args[4] = skip;
	cb->args[5] = 0;
	return 0;
}

/* Replay the table to a notifier: the first route of each prefix. */
static int fs_notify_replay(struct fib_table *tb, struct notifier_block *nb,
			    struct netlink_ext_ack *extack)
{
	struct fs_array *a = fs_routes(fs_table(tb));
	unsigned int i;

	for (i = 0; a && i < a->len; i++) {
		struct fs_prefix *p = fs_prefixes(a)[i];
		struct fib_alias *fa = fs_first(p, tb->tb_id);
		struct fib_entry_notifier_info info;
		int err;

		if (!fa || !fib_info_hold_safe(fa->fa_info))
			continue;
		fs_entry_info(&info, p, fa, extack);
		err = call_fib4_notifier(nb, FIB_EVENT_ENTRY_REPLACE,
					 &info.info);
		fib_info_put(fa->fa_info);
		if (err)
			return err;
	}
	return 0;
}

/* A nexthop object changed: RTM_NEWROUTE for the routes using it, keys in
 * descending order as from the trie.
 */
static void fs_info_notify_update(struct net *net, struct fib_table *tb,
				  struct nl_info *info)
{
	struct fs_array *a = fs_routes(fs_table(tb));
	u32 key = U32_MAX;

	do {
		unsigned int i;

		for (i = 0; a && i < a->len; i++) {
			struct fs_prefix *p = fs_prefixes(a)[i];
			struct fib_alias *fa;

			if (ntohl(p->key) != key)
				continue;
			hlist_for_each_entry(fa, &p->aliases, fa_list)
				if (fa->tb_id == tb->tb_id &&
				    fa->fa_info->nh_updated)
					rtmsg_fib(RTM_NEWROUTE, p->key, fa,
						  p->plen, tb->tb_id, info,
						  NLM_F_REPLACE);
		}
	} while (fs_key_next(a, &key, false));
}

/* The route a driver reports offload flags for, under RCU. */
static struct fib_alias *fs_find_alias(struct fib_table *tb,
				       const struct fib_rt_info *fri)
{
	struct fs_prefix *p;
	struct fib_alias *fa;

	if (fri->dst_len > 32)
		return NULL;
	p = fs_find(fs_routes(fs_table(tb)), fri->dst, fri->dst_len);
	if (!p)
		return NULL;
	hlist_for_each_entry_rcu(fa, &p->aliases, fa_list)
		if (fa->tb_id == fri->tb_id && fa->fa_dscp == fri->dscp &&
		    fa->fa_info == fri->fi && fa->fa_type == fri->type)
			return fa;
	return NULL;
}

const struct fib_table_ops fib_simple_ops = {
	.name			= "simple",
	.owner			= THIS_MODULE,
	.table_new		= fs_table_new,
	.table_free		= fs_table_free,
	.lookup			= fib_simple_lookup,
	.insert			= fs_insert,
	.delete			= fs_delete,
	.dump			= fs_dump,
	.flush			= fs_flush,
	.unmerge		= fs_unmerge,
	.flush_external		= fs_flush_external,
	.notify			= fs_notify_replay,
	.info_notify_update	= fs_info_notify_update,
	.find_alias		= fs_find_alias,
	.walk			= fs_walk,
#ifdef CONFIG_IP_FIB_BACKENDS
	.adopt			= fs_adopt,
	.discard		= fs_discard,
#endif
};

#if IS_BUILTIN(CONFIG_IP_FIB_SIMPLE) && !IS_ENABLED(CONFIG_IP_FIB_TRIE)
/* The kernel's only table implementation: fib_backend_init() calls this
 * from ip_fib_init(), before any table exists. There is nothing to set up.
 */
void __init fib_simple_init(void)
{
}
#else
/* Beside the trie (as a module, or both built in): offer the operations;
 * the administrator chooses (net.ipv4.fib_backend), or activate=1 does.
 */
static bool activate;
module_param(activate, bool, 0444);
MODULE_PARM_DESC(activate, "Move every IPv4 table to fib_simple when loaded; the load fails if that fails");

static int __init fs_module_init(void)
{
	struct netlink_ext_ack extack = {};
	int err;

	rtnl_lock();
	err = fib_backend_register(&fib_simple_ops);
	rtnl_unlock();
	if (err || !activate)
		return err;
	err = fib_backend_switch(&fib_simple_ops, &extack);
	if (!err)
		return 0;
	pr_err("fib_simple: every table stays on the trie: %s (%d)\n",
	       extack._msg ?: "", err);
	rtnl_lock();
	fib_backend_unregister(&fib_simple_ops);
	rtnl_unlock();
	rcu_barrier();
	return err;
}
module_init(fs_module_init);

/* No table holds the module any more; its freeing may still be pending. */
static void __exit fs_module_exit(void)
{
	rtnl_lock();
	fib_backend_unregister(&fib_simple_ops);
	rtnl_unlock();
	rcu_barrier();
}
module_exit(fs_module_exit);
MODULE_ALIAS("fib-backend-simple");
#endif

MODULE_DESCRIPTION("IPv4 routing tables as flat arrays, for small systems");
MODULE_LICENSE("GPL");
