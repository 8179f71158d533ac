/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What fib_simple and neigh_small use that an older kernel series lacks.
 * The sources are written for 6.12; every shim here says which series has
 * the interface and what the older one gets instead, and no other file of
 * ours tests a kernel version. fib_simple.h includes it by a path
 * relative to fib_simple/: built in, that directory is linked into the
 * kernel tree and the path resolves through the link; with M= this
 * directory is copied next to ours.
 */
#ifndef _FSX_COMPAT_H
#define _FSX_COMPAT_H

#include <linux/version.h>
#include <net/inet_dscp.h>
#include <net/flow.h>
#include <net/netlink.h>

#if KERNEL_VERSION(6, 12, 0) > LINUX_VERSION_CODE
/*
 * 6.12 matches a route's DSCP through fib_dscp_masked_match(). 6.1's trie
 * compares it with flowi4_tos as it comes, its callers having masked it
 * with RT_TOS() already; so does this.
 */
static inline bool fib_dscp_masked_match(dscp_t dscp, const struct flowi4 *fl4)
{
	return inet_dscp_to_dsfield(dscp) == fl4->flowi4_tos;
}
#endif

/*
 * fsx_extack_fmt(extack, alt, fmt, ...): an extack message with values
 * where the kernel can carry one (NL_SET_ERR_MSG_FMT_MOD(), since 6.2);
 * before, a message is a constant string, and it gets @alt, the same
 * message without its values. Both are string literals; @alt is no longer
 * than @fmt (a build-time check, which also keeps both in use).
 */
#ifdef NL_SET_ERR_MSG_FMT_MOD
#define fsx_extack_fmt(extack, alt, fmt, args...) do {		\
	BUILD_BUG_ON(sizeof(alt) > sizeof(fmt));			\
	NL_SET_ERR_MSG_FMT_MOD(extack, fmt, ##args);			\
} while (0)
#else
#define fsx_extack_fmt(extack, alt, fmt, args...) do {		\
	BUILD_BUG_ON(sizeof(alt) > sizeof(fmt));			\
	NL_SET_ERR_MSG_MOD(extack, alt);				\
} while (0)
#endif

#endif /* _FSX_COMPAT_H */
