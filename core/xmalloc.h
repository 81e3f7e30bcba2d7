/* xmalloc.h - allocation that aborts on exhaustion, and a growable buffer.
 *
 * Running out of memory is not an error any caller can mend, so these never
 * return NULL: they print one line and abort. */
#ifndef FAI_XMALLOC_H
#define FAI_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Returns a heap copy of s (NULL gives NULL); the caller frees it. */
char *xstrdup(const char *s);
/* Returns a NUL-terminated heap copy of the n first bytes of s. */
char *xstrndup(const char *s, size_t n);
/* Returns a heap string built with printf formatting. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte string, always NUL-terminated once anything was added. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
/* Frees the bytes; b may be NULL. */
void buf_free(struct buf *b);
/* Empties b, keeping its memory. */
void buf_reset(struct buf *b);
/* Makes room for n more bytes and the NUL, so as many bytes can be added
 * without moving the data again. */
void buf_reserve(struct buf *b, size_t n);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Returns the bytes as a heap string owned by the caller, leaving b empty. */
char *buf_steal(struct buf *b);

#endif
