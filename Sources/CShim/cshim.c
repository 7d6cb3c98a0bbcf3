#include "cshim.h"
#include <openssl/crypto.h>
#include <openssl/ec.h>

void shim_OPENSSL_free(void *p) { OPENSSL_free(p); }
EVP_PKEY *shim_EVP_EC_gen(const char *curve) { return EVP_EC_gen(curve); }

struct cmsghdr *shim_CMSG_FIRSTHDR(struct msghdr *m) { return CMSG_FIRSTHDR(m); }
struct cmsghdr *shim_CMSG_NXTHDR(struct msghdr *m, struct cmsghdr *c) { return CMSG_NXTHDR(m, c); }
unsigned char *shim_CMSG_DATA(struct cmsghdr *c) { return CMSG_DATA(c); }
size_t shim_CMSG_SPACE(size_t len) { return CMSG_SPACE(len); }
size_t shim_CMSG_LEN(size_t len) { return CMSG_LEN(len); }
