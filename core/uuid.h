/* uuid.h - random (version 4) UUIDs, the stable identity of an idea. */
#ifndef FAI_UUID_H
#define FAI_UUID_H

#define UUID_LEN 16
#define UUID_STR_LEN 37 /* 36 characters and the NUL */

/* Fills u with a version 4 UUID from getrandom(2).  Never fails (aborts if
 * the kernel gives no randomness). */
void uuid_generate(unsigned char u[UUID_LEN]);

/* Writes u in lower-case 8-4-4-4-12 form into out. */
void uuid_format(const unsigned char u[UUID_LEN], char out[UUID_STR_LEN]);

/* Parses the 8-4-4-4-12 hex form (either case).  Returns 0 or -FAI_EINVAL. */
int uuid_parse(const char *s, unsigned char u[UUID_LEN]);

#endif
