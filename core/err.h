/* err.h - the project's error codes and the detail record that carries them.
 *
 * Every fallible function returns 0 or a negative FAI_E* code.  What a person
 * needs to understand the failure (field, value, file, line, why) goes into an
 * optional struct fai_err filled by the failing layer; only tui/ turns it into
 * words, through gettext. */
#ifndef FAI_ERR_H
#define FAI_ERR_H

#include <stddef.h>
#include <stdint.h>

/* Marks a string for translation without calling gettext: core/ and store/
 * know no library, tui/ translates with _() at display time. */
#ifndef N_
#define N_(s) s
#endif

/* X(name, text): the error codes, in one list that also gives their text. */
#define FAI_ERROR_LIST(X)                                                      \
	X(USAGE, N_("bad usage"))                                              \
	X(INVAL, N_("invalid data"))                                           \
	X(RULE, N_("refused by a pipeline rule"))                              \
	X(GATE, N_("required fields are missing for this stage"))              \
	X(CONFLICT, N_("the idea was changed by someone else"))                \
	X(NOTFOUND, N_("not found"))                                           \
	X(NOTHING, N_("nothing to do"))                                        \
	X(EXIST, N_("already exists"))                                         \
	X(NOSTORE, N_("no store at this path"))                                \
	X(SCHEMA, N_("the store was written by a newer fai"))                  \
	X(STORE, N_("store error"))                                            \
	X(IO, N_("input/output error"))                                        \
	X(PERM, N_("permission refused"))                                      \
	X(TOOBIG, N_("too large"))                                             \
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
#define FAI_WHY_LIST(X)                                                        \
	X(NONE, "")                                                            \
	X(UTF8, N_("not valid UTF-8"))                                         \
	X(REQUIRED, N_("must not be empty"))                                   \
	X(TOO_LONG, N_("too long"))                                            \
	X(REGION, N_("not one of the 18 INSEE region codes"))                  \
	X(TERRITORY, N_("not an INSEE département or commune code"))           \
	X(SIRET_FORMAT, N_("a SIRET has exactly 14 digits"))                   \
	X(SIRET_CHECK, N_("SIRET check digit is wrong (Luhn)"))                \
	X(DATE, N_("not an ISO 8601 date (YYYY-MM-DD)"))                       \
	X(TIMESTAMP, N_("not an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)"))    \
	X(NUMBER, N_("not a whole number"))                                    \
	X(STAGE, N_("not a stage code"))                                       \
	X(FIELD, N_("unknown field"))                                          \
	X(READONLY, N_("this field cannot be changed directly"))               \
	X(REF, N_("not a reference like 84-0042"))                             \
	X(UUID, N_("not a UUID"))                                              \
	X(CONTROL, N_("control characters are not allowed here"))              \
	X(MOVE, N_("this stage cannot be reached from the current one"))       \
	X(SAME_STAGE, N_("the idea is already at this stage"))                 \
	X(REASON, N_("a reason is required"))                                  \
	X(CONFIG, N_("unknown setting"))                                       \
	X(WORLD_WRITABLE, N_("the directory is writable by every user"))       \
	X(NO_ACCESS, N_("you may not use this store"))                         \
	X(SYMLINK, N_("a symbolic link: fai does not write through links"))    \
	X(IN_STORE, N_("inside a store directory"))                            \
	X(NOT_FILE, N_("not a regular file, a pipe or a terminal"))            \
	X(DAMAGED, N_("the store is damaged"))                                 \
	X(TRUNCATED, N_("the store file is shorter than it says it is"))       \
	X(LOCK_CHANGED, N_("the lock file was deleted or replaced"))           \
	X(LOCK_FOREIGN, N_("the store is in use with another lock file"))      \
	X(HEADER_NAME, N_("not a valid column name"))                          \
	X(DUP_COLUMN, N_("this column appears twice"))                         \
	X(TOO_MANY_COLUMNS, N_("too many columns"))                            \
	X(DUP_ID, N_("the same id appears twice in the file"))                 \
	X(DATE_RANGE, N_("the year must be between 1900 and 2100"))            \
	X(SIRET_ZERO, N_("not a real SIRET"))                                  \
	X(NUMBER_RANGE, N_("the number is too large"))                         \
	X(DATA_WRITABLE, N_("the store's file is writable by every user"))     \
	X(RESTORING, N_("the store is being restored"))                        \
	X(IN_USE, N_("the store is in use"))                                   \
	X(OLD_SCHEMA, N_("written by an older fai"))                           \
	X(NOT_OWNER, N_("another user's file in a directory where only a "     \
			"file's owner may replace it"))                        \
	X(SYNC_FAILED, N_("made, but the disk failed to save it"))             \
	X(NUMBER_SMALL, N_("the number is too small"))                         \
	X(CELL_TOO_LONG, N_("a cell is too long"))                             \
	X(ROW_TOO_LONG, N_("a row is too long"))                               \
	X(QUOTE, N_("malformed CSV: a quote inside an unquoted cell, or a "    \
		    "quote never closed"))                                     \
	X(ENCODING, N_("neither UTF-8 nor Windows-1252"))                      \
	X(ROW_CELLS, N_("the row does not have as many cells as the header"))  \
	X(SPOOL, N_("the temporary copy of the rows is unreadable"))           \
	X(EMPTY_FILE, N_("the file is empty"))                                 \
	X(INVALID_ROWS, N_("invalid rows"))                                    \
	X(CONFLICTS, N_("conflicts"))                                          \
	X(SPACE_NEEDED, N_("not enough space for the import"))                 \
	X(STORE_COLUMNS, N_("too many columns fai does not know in the "       \
			    "store"))                                          \
	X(XLSX_ZIP, N_("not a readable XLSX workbook"))                        \
	X(XLSX_XML, N_("a part of the workbook is missing or malformed"))      \
	X(XLSX_TOO_BIG, N_("the workbook unpacks to more than fai reads"))     \
	X(XLSX_SHEET, N_("the workbook has no sheet of this name"))            \
	X(XLSX_STRING, N_("a cell refers to a text the workbook lacks"))       \
	X(XLSX_CELL, N_("too long for a spreadsheet cell"))                    \
	X(SCIENTIFIC, N_("a code in scientific notation lost its digits"))     \
	X(DATE_TYPED, N_("not a date such as 15/12/2026, 15/12/26, 15 Dec. "   \
			 "2026 or 2026-12-15"))                                \
	X(UNDO_BLOCKED, N_("changed by someone since"))

enum fai_why {
#define FAI_X_ENUM(name, text) FAI_WHY_##name,
	FAI_WHY_LIST(FAI_X_ENUM)
#undef FAI_X_ENUM
	    FAI_WHY_END_
};

/* What err's field and value name: tui/ chooses its sentence by this,
 * never by comparing the text of field or value. */
enum fai_about {
	FAI_ABOUT_NONE = 0,
	FAI_ABOUT_FIELD,       /* an idea field: field holds its code */
	FAI_ABOUT_FILE,	       /* a file fai reads or writes: value its path */
	FAI_ABOUT_HEADER,      /* a CSV header: field a column's name */
	FAI_ABOUT_ROW,	       /* a CSV row */
	FAI_ABOUT_CELL,	       /* a CSV cell: column its place */
	FAI_ABOUT_GROUP,       /* a Unix group: value its name */
	FAI_ABOUT_OUTPUT,      /* the stream an export writes to */
	FAI_ABOUT_DIRECTORY,   /* a store directory: value its path */
	FAI_ABOUT_STORE_DB,    /* a store database or operation: field */
	FAI_ABOUT_IDEA_RECORD, /* an idea record: value its key ("#42") */
	FAI_ABOUT_LOG_RECORD,  /* a log entry: value its key */
	FAI_ABOUT_META_RECORD, /* a meta value: value its key */
	FAI_ABOUT_INDEX,       /* an index of the store: field its name */
	FAI_ABOUT_BACKUP,      /* a backup file */
	FAI_ABOUT_LOCK_FILE,   /* a file of the store the lock watches:
				  field its name, value the store's path */
	FAI_ABOUT_SOURCE,      /* the file an import reads: value its path */
};

/* What a refused path is (file_kind), when it is no regular file. */
enum fai_file_kind {
	FAI_FILE_KIND_NONE = 0,
	FAI_FILE_KIND_DIRECTORY,
	FAI_FILE_KIND_SOCKET,
	FAI_FILE_KIND_BLOCK_DEVICE,
	FAI_FILE_KIND_FIFO,
	FAI_FILE_KIND_CHAR_DEVICE,
	FAI_FILE_KIND_OTHER,
};

/* Details of one failure, filled by the failing layer, printed by tui/.
 * The facts after detail are typed: each is zero (stage and stage_from:
 * -1) when the failure has none. */
struct fai_err {
	int code;	    /* a positive FAI_E* code, 0 when unset */
	int why;	    /* an enum fai_why */
	int about;	    /* an enum fai_about: what field and value name */
	char field[48];	    /* field or column name, "" when none */
	char value[256];    /* offending value, cut to fit, "" when none */
	char file[256];	    /* input file, "" when none */
	long line;	    /* 1-based line in file, 0 when none */
	char detail[512];   /* only a library's own text: strerror(),
			       mdb_strerror(); "" when none */
	long line2;	    /* another line: the first row with the same id */
	long column;	    /* 1-based CSV column, 0 when none */
	long column2;	    /* the second column of a repeated pair */
	uint64_t rev_had;   /* a conflict: the revision the writer had */
	uint64_t rev_found; /* ... and the one found in the store */
	char by[64];	    /* ... and who made it, "" when unknown */
	int64_t at;	    /* ... and when (Unix time), 0 when unknown */
	int stage;	  /* the target stage of a move or gate, -1 when none */
	int stage_from;	  /* the stage it was refused from, -1 when none */
	uint64_t missing; /* missing idea fields, bit (1 << field) set */
	uint64_t count;	  /* how many the reason is about (columns, cells,
			     rows, MiB, a size, a schema version) */
	uint64_t limit;	  /* the bound count was judged against */
	int sys_errno;	  /* the errno behind an I/O failure, 0 when none */
	int file_kind;	  /* an enum fai_file_kind */
	char path[256];	  /* a store directory the failure is about, or a
			     path beside value (IN_STORE: the store's) */
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

/* fai_err_set, and says what field and value name (an enum fai_about). */
int fai_err_set_about(struct fai_err *err, int code, int why, int about,
		      const char *field, const char *value);

/* Sets err->about; err may be NULL. */
void fai_err_about(struct fai_err *err, int about);

/* Sets the facts of a conflict: the revision the writer had, the one found
 * and who made it (by may be NULL); err may be NULL. */
void fai_err_conflict(struct fai_err *err, uint64_t had, uint64_t found,
		      const char *by);

/* Sets the target stage of a refused move and the stage it was refused
 * from (-1 for none); err may be NULL. */
void fai_err_stage(struct fai_err *err, int stage, int from);

/* Sets err->path, cut to fit; err and path may be NULL. */
void fai_err_path(struct fai_err *err, const char *path);

/* Sets err->detail with printf formatting; err may be NULL.  Only for a
 * library's own text (strerror, mdb_strerror): a sentence is tui/'s. */
void fai_err_detail(struct fai_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
