/* err.h - the project's error codes and the detail record that carries them.
 *
 * Every fallible function returns 0 or a negative FAI_E* code.  What a person
 * needs to understand the failure (field, value, file, line, why) goes into an
 * optional struct fai_err filled by the failing layer; only tui/ turns it into
 * words, through gettext. */
#ifndef FAI_ERR_H
#define FAI_ERR_H

#include <stddef.h>

/* Marks a string for translation without calling gettext: core/ and store/
 * know no library, tui/ translates with _() at display time. */
#ifndef N_
#define N_(s) s
#endif

/* X(name, text): the error codes, in one list that also gives their text. */
#define FAI_ERROR_LIST(X)                                                     \
	X(USAGE, N_("bad usage"))                                             \
	X(INVAL, N_("invalid data"))                                          \
	X(RULE, N_("refused by a pipeline rule"))                             \
	X(GATE, N_("required fields are missing for this stage"))             \
	X(CONFLICT, N_("the idea was changed by someone else"))               \
	X(NOTFOUND, N_("not found"))                                          \
	X(NOTHING, N_("nothing to do"))                                       \
	X(EXIST, N_("already exists"))                                        \
	X(NOSTORE, N_("no store at this path"))                               \
	X(SCHEMA, N_("the store was written by a newer fai"))                 \
	X(STORE, N_("store error"))                                           \
	X(IO, N_("input/output error"))                                       \
	X(PERM, N_("permission refused"))                                     \
	X(TOOBIG, N_("too large"))                                            \
	X(NOSPACE, N_("no space left on the device"))

enum fai_error {
	FAI_OK = 0,
#define FAI_X_ENUM(name, text) FAI_E##name,
	FAI_ERROR_BASE_ = 0,
	FAI_ERROR_LIST(FAI_X_ENUM)
#undef FAI_X_ENUM
	FAI_ERROR_END_
};
/* Functions return the negative: return -FAI_EINVAL. */

/* X(name, text): why a value was refused; refines FAI_EINVAL and FAI_ERULE. */
#define FAI_WHY_LIST(X)                                                       \
	X(NONE, "")                                                           \
	X(UTF8, N_("not valid UTF-8"))                                        \
	X(REQUIRED, N_("must not be empty"))                                  \
	X(TOO_LONG, N_("too long"))                                           \
	X(REGION, N_("not one of the 18 INSEE region codes"))                 \
	X(TERRITORY, N_("not an INSEE département or commune code"))          \
	X(SIRET_FORMAT, N_("a SIRET has exactly 14 digits"))                  \
	X(SIRET_CHECK, N_("SIRET check digit is wrong (Luhn)"))               \
	X(DATE, N_("not an ISO 8601 date (YYYY-MM-DD)"))                      \
	X(TIMESTAMP, N_("not an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)"))   \
	X(NUMBER, N_("not a whole number"))                                   \
	X(STAGE, N_("not a stage code"))                                      \
	X(FIELD, N_("unknown field"))                                         \
	X(READONLY, N_("this field cannot be changed directly"))              \
	X(REF, N_("not a reference like 84-0042"))                            \
	X(UUID, N_("not a UUID"))                                             \
	X(CONTROL, N_("control characters are not allowed here"))             \
	X(MOVE, N_("this stage cannot be reached from the current one"))      \
	X(SAME_STAGE, N_("the idea is already at this stage"))                \
	X(REASON, N_("a reason is required"))                                 \
	X(CONFIG, N_("unknown setting"))                                      \
	X(WORLD_WRITABLE, N_("the directory is writable by every user"))      \
	X(NO_ACCESS, N_("you may not use this store"))                        \
	X(SYMLINK, N_("a symbolic link: fai does not write through links"))   \
	X(IN_STORE, N_("inside a store directory"))                           \
	X(NOT_FILE, N_("not a regular file, a pipe or a terminal"))           \
	X(DAMAGED, N_("the store is damaged"))                                \
	X(TRUNCATED, N_("the store file is shorter than it says it is"))      \
	X(LOCK_CHANGED, N_("the lock file was deleted or replaced"))          \
	X(LOCK_FOREIGN, N_("the store is in use with another lock file"))     \
	X(HEADER_NAME, N_("not a valid column name"))                         \
	X(DUP_COLUMN, N_("this column appears twice"))                        \
	X(TOO_MANY_COLUMNS, N_("too many columns"))                           \
	X(DUP_ID, N_("the same id appears twice in the file"))                \
	X(DATE_RANGE, N_("the year must be between 1900 and 2100"))           \
	X(SIRET_ZERO, N_("not a real SIRET"))                                 \
	X(NUMBER_RANGE, N_("the number is too large"))                        \
	X(DATA_WRITABLE, N_("the store's file is writable by every user"))   \
	X(RESTORING, N_("the store is being restored"))                       \
	X(IN_USE, N_("the store is in use"))                                  \
	X(OLD_SCHEMA, N_("written by an older fai"))                          \
	X(NOT_OWNER, N_("another user's file in a directory where only a file's owner may replace it"))   \
	X(SYNC_FAILED, N_("made, but the disk failed to save it"))

enum fai_why {
#define FAI_X_ENUM(name, text) FAI_WHY_##name,
	FAI_WHY_LIST(FAI_X_ENUM)
#undef FAI_X_ENUM
	FAI_WHY_END_
};

/* Details of one failure, filled by the failing layer, printed by tui/. */
struct fai_err {
	int code;          /* a positive FAI_E* code, 0 when unset */
	int why;           /* an enum fai_why */
	char field[48];    /* field or column name, "" when none */
	char value[256];   /* offending value, cut to fit, "" when none */
	char file[256];    /* input file, "" when none */
	long line;         /* 1-based line in file, 0 when none */
	char detail[512];  /* extra facts, e.g. missing fields "need territory"
	                      or the store library's own message */
};

/* Returns the English text of code (positive or negative), never NULL. */
const char *fai_strerror(int code);

/* Returns the English text of why, never NULL. */
const char *fai_why_text(int why);

/* Resets err (may be NULL) to "no error". */
void fai_err_clear(struct fai_err *err);

/* Fills err (may be NULL) and returns -code so callers can write
 * return fai_err_set(err, FAI_EINVAL, FAI_WHY_SIRET_CHECK, "siret", v);
 * field and value may be NULL; value is cut to fit. */
int fai_err_set(struct fai_err *err, int code, int why, const char *field,
		const char *value);

/* Sets err->detail with printf formatting; err may be NULL. */
void fai_err_detail(struct fai_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
