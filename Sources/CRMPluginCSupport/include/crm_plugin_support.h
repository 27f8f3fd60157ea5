/*
 * What crmd's in-tree analysis plugins written in C share: errors with a
 * formatted message, responses packed from protobuf-c messages, the Dataset
 * checks of proto/crm/plugin/v1/analysis.proto, parameter parsing, logging,
 * and progress reports with cancellation.
 *
 * Linked statically into each plugin library and hidden there: a plugin
 * still exports only crm_plugin_entry. Every buffer it hands out (error
 * messages, responses) comes from malloc, so the plugin's free_buffer is
 * free().
 *
 * Out-of-tree plugins do not need this target: docs/plugins.md builds one
 * against crm_plugin.h and protobuf-c alone.
 */
#ifndef CRM_PLUGIN_SUPPORT_H
#define CRM_PLUGIN_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "crm/plugin/v1/analysis.pb-c.h"
#include "crm_plugin.h"

#if defined(__GNUC__) || defined(__clang__)
#define CRM_SUPPORT_INTERNAL __attribute__((visibility("hidden")))
#define CRM_SUPPORT_PRINTF(format_index, first_argument) \
    __attribute__((format(printf, format_index, first_argument)))
#else
#define CRM_SUPPORT_INTERNAL
#define CRM_SUPPORT_PRINTF(format_index, first_argument)
#endif

/* --- errors and responses ------------------------------------------------ */

/* Sets `error` (when not NULL) to `code` and the printf-style message, in a
 * malloc'd buffer without the NUL; returns `code`, so that a call can end
 * with `return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT, "…", …);`. */
CRM_SUPPORT_INTERNAL int32_t crm_fail(crm_plugin_error *error, int32_t code, const char *format, ...)
    CRM_SUPPORT_PRINTF(3, 4);

/* Packs `message` into a malloc'd `response`; an all-default message is the
 * empty buffer. Returns CRM_STATUS_OK, or CRM_STATUS_RESOURCE_EXHAUSTED
 * through crm_fail. */
CRM_SUPPORT_INTERNAL int32_t crm_respond(const ProtobufCMessage *message, crm_plugin_buffer *response,
    crm_plugin_error *error);

/* --- datasets ------------------------------------------------------------ */

/* Checks the promises of analysis.proto's Dataset that plugin code relies
 * on: the dataset is present, n_rows and n_features are not negative, values
 * holds n_rows × n_features finite numbers, sample_weights is empty or one
 * finite weight ≥ 0 per row; and, when `require_labels` is set, what
 * crm_check_dataset_labels checks. Returns CRM_STATUS_OK, or
 * CRM_STATUS_INVALID_ARGUMENT with a message that starts "dataset: ". */
CRM_SUPPORT_INTERNAL int32_t crm_check_dataset(const Crm__Plugin__V1__Dataset *d, int require_labels,
    size_t min_classes, crm_plugin_error *error);

/* Checks a labelled dataset whose shape crm_check_dataset accepted: at
 * least `min_classes` class names ("dataset: class_names is empty" when
 * there are none), one label per row, each an index into class_names. */
CRM_SUPPORT_INTERNAL int32_t crm_check_dataset_labels(const Crm__Plugin__V1__Dataset *d, size_t min_classes,
    crm_plugin_error *error);

/* --- parameters ---------------------------------------------------------- */

/* Reads a finite double that is the whole of `text` (trailing blanks
 * allowed). Returns 1 on success, 0 otherwise. */
CRM_SUPPORT_INTERNAL int crm_parse_double(const char *text, double *value);

/* Reads a decimal integer in int64_t's range that is the whole of `text`
 * (trailing blanks allowed). Returns 1 on success, 0 otherwise. */
CRM_SUPPORT_INTERNAL int crm_parse_int64(const char *text, int64_t *value);

/* --- the host ------------------------------------------------------------ */

/* Seconds on the monotonic clock: for measuring intervals only. */
CRM_SUPPORT_INTERNAL double crm_monotonic_seconds(void);

/* Logs `message` at `level` (CRM_LOG_*) through the host, when it has a log
 * function; `host` may be NULL. */
CRM_SUPPORT_INTERNAL void crm_log(const crm_host_api *host, int32_t level, const char *message);

/* The progress of one call: the host and call to report to, the message
 * sent with each fraction, and how often. Initialise every field, e.g.
 *
 *     crm_progress progress = {host, ctx, "fitting", 0.2, 0};
 *
 * `host` or `ctx` may be NULL (no reports, never cancelled). */
typedef struct crm_progress {
    const crm_host_api *host;
    crm_call_context *ctx;
    const char *message;
    double min_interval; /* seconds between two reports; 0 reports every tick */
    double last_report;  /* crm_monotonic_seconds() of the last report; start at 0 */
} crm_progress;

/* Reports `fraction` (0…1) unless the last report is less than
 * min_interval ago, then asks the host whether the call is cancelled.
 * Returns non-zero when the work should stop. */
CRM_SUPPORT_INTERNAL int crm_progress_tick(crm_progress *progress, double fraction);

/* crm_progress_tick for a progress callback of the shape
 * `int (*)(void *context, double fraction)`, `context` a crm_progress. */
CRM_SUPPORT_INTERNAL int crm_progress_callback(void *context, double fraction);

/* Reports the call finished: fraction 1 with "done". */
CRM_SUPPORT_INTERNAL void crm_progress_done(const crm_progress *progress);

#endif
