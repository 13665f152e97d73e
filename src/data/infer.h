#ifndef AK_INFER_H
#define AK_INFER_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* What one CSV value looks like: the per-value half of type inference,
 * plus the PII patterns used to mask samples. Pure functions of the bytes,
 * independent of the locale. */
enum infer_kind {
	INFER_INT,
	INFER_FLOAT,
	INFER_BOOL,
	INFER_DATE,
	INFER_DATETIME,
	INFER_TEXT,
	INFER_NKINDS
};

/* Flags beside the kind. */
#define INFER_LEADZERO 1u	/* digits with a leading zero ("007"): text, maybe an id */
#define INFER_INFINITE 2u	/* inf, -Infinity: a float without a finite value */
#define INFER_INTEGRAL 4u	/* a number with an integer value ("3", "3.0", "1e5") */

enum infer_pii {
	INFER_PII_NONE,
	INFER_PII_EMAIL,
	INFER_PII_PHONE,
	INFER_PII_CARD
};

/* 1 for the tokens pandas reads as missing by default: the empty string,
 * NA, N/A, n/a, NaN, nan, -NaN, -nan, NULL, null, <NA>, #N/A, #NA,
 * #N/A N/A, 1.#IND, -1.#IND, 1.#QNAN, -1.#QNAN. */
int infer_missing(const char *s, size_t len);
/* Classifies a non-missing value. *num gets the number for INT and FLOAT,
 * 1 or 0 for BOOL, seconds since 1970-01-01 UTC for DATE and DATETIME.
 * Numbers may have surrounding spaces, a sign, a fraction and an
 * exponent; booleans are true/false in any case; dates are Y-M-D (with -,
 * / or .), M/D/Y (D/M/Y when the month would be over 12) or D.M.Y, and a
 * datetime adds "T" or " ", H:MM[:SS[.fff]] and an optional Z, UTC or
 * +HH:MM offset. */
enum infer_kind infer_value(const char *s, size_t len, double *num, unsigned *flags);
/* The same, trying the hinted kind (the column's last one) first: the
 * answer never depends on the hint, only the time taken. */
enum infer_kind infer_value_hint(const char *s, size_t len, double *num, unsigned *flags, enum infer_kind hint);
/* The kind's name in the profile: "integer", "float", "boolean", "date",
 * "datetime", "text". */
const char *infer_kind_name(enum infer_kind k);
/* Whether a value looks like an email address, a phone number (7 to 15
 * digits with a +, parentheses or separators, and not a date or number)
 * or a payment card number (13-19 digits, bare or grouped, passing the
 * Luhn check). */
enum infer_pii infer_pii(const char *s, size_t len);
const char *infer_pii_name(enum infer_pii p);
/* A copy safe to show: emails keep their first letter and top-level
 * domain, phone and card numbers their last 2 or 4 digits. Other values
 * are copied as they are. Caller frees. */
char *infer_mask(const char *s, size_t len);
/* Text safe for JSON and terminals: infer_mask's masking, with invalid
 * UTF-8 and NUL bytes replaced by U+FFFD. Caller frees. */
char *infer_display(const char *s, size_t len);
/* Only the UTF-8 and NUL repair of infer_display (for names and class
 * values, which are never masked). Caller frees. */
char *infer_clean(const char *s, size_t len);
/* Formats seconds since the epoch as "YYYY-MM-DD" or, with with_time,
 * "YYYY-MM-DD HH:MM:SS" (fractions of a second kept when present). */
void infer_format_time(double secs, int with_time, char *buf, size_t n);
/* Sets o[key] to the time formatted by infer_format_time(). */
void infer_json_time(cJSON *o, const char *key, double secs, int with_time);
/* Days since 1970-01-01 of a proleptic Gregorian date. */
long infer_days_from_civil(long y, unsigned m, unsigned d);

#endif
