#ifndef LATCHKEY_CSHIM_H
#define LATCHKEY_CSHIM_H
/* Wrappers for C macros, variadic functions and GNU-only structures that Swift
 * cannot import directly. One-liners only; no logic lives here. */
#include <stddef.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/un.h>
#include <openssl/evp.h>

void shim_OPENSSL_free(void *p);
EVP_PKEY *shim_EVP_EC_gen(const char *curve);

struct shim_in6_pktinfo {
    struct in6_addr ipi6_addr;
    unsigned int ipi6_ifindex;
};

struct cmsghdr *shim_CMSG_FIRSTHDR(struct msghdr *m);
struct cmsghdr *shim_CMSG_NXTHDR(struct msghdr *m, struct cmsghdr *c);
unsigned char *shim_CMSG_DATA(struct cmsghdr *c);
size_t shim_CMSG_SPACE(size_t len);
size_t shim_CMSG_LEN(size_t len);

#endif
