/*
 * crmd's svm analysis plugin (algorithm "svm"), in C against crm_plugin.h,
 * the protobuf-c code of proto/crm/plugin/v1 and crm_plugin_support.h.
 *
 *   kernel=rbf (default, as scikit-learn's SVC): libsvm's C-SVC, SMO with
 *     second-order working set selection and a kernel cache, one-vs-one
 *     with voting for more than two classes.
 *   kernel=linear: scikit-learn's LinearSVC, i.e. liblinear's L2-regularised
 *     squared-hinge (L2-loss) SVM with a regularised intercept, one-vs-rest
 *     for more than two classes; solved as dual='auto' does: by dual
 *     coordinate descent when n_rows ≤ n_features, else by a primal Newton
 *     method (svm_linear.c).
 *
 * Parameters (scikit-learn's names): kernel, C (1.0), gamma (scale | auto |
 * a number > 0; RBF only), tol (1e-3 for rbf as SVC, 1e-4 for linear as
 * LinearSVC), max_iter (-1 = no limit for rbf as SVC, 1000 for linear as
 * LinearSVC), random_state (also TrainRequest.random_state; the seed of
 * LinearSVC's coordinate order; unset means 0, so training is always
 * deterministic).
 *
 * Probabilities are NOT Platt scaling: they are the logistic function of the
 * decision score for two classes and a softmax of the per-class decision
 * scores otherwise (one-vs-rest scores for linear; SVC's 'ovr'-shaped
 * votes-plus-confidence scores for RBF). They rank like the decision scores
 * but are not calibrated. The decision scores themselves are returned when
 * want_decision_scores is set.
 *
 * The plugin does not standardise features: the host's preprocessing does.
 *
 * Thread safety: the state holds only the host's table, each call works on
 * its own memory; concurrent calls are safe (no CRM_PLUGIN_FLAG_SERIAL).
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/plugin/v1/analysis.pb-c.h"
#include "crm/plugin/v1/plugin.pb-c.h"
#include "crm_plugin.h"
#include "crm_plugin_support.h"
#include "svm_plugin.h"

#define ALGORITHM "svm"
/* Above this many rows an RBF fit does not report its training accuracy (see train_decoded). */
#define TRAIN_ACCURACY_RBF_ROWS 1000
#define PARAMETER_LIST "kernel, C, gamma, tol, max_iter, random_state"

typedef struct plugin_state {
    const crm_host_api *host;
} plugin_state;

/* A training set: what crm_check_dataset promises, then at least one row,
 * one feature and two classes. */
static int32_t check_training_set(const Crm__Plugin__V1__Dataset *d, crm_plugin_error *error)
{
    int32_t status = crm_check_dataset(d, 0, 0, error);
    if (status != CRM_STATUS_OK) {
        return status;
    }
    if (d->n_features < 1 || d->n_rows < 1) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
            "dataset: training needs at least one row and one feature");
    }
    if (d->n_class_names < 2) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT, "dataset: an SVM needs at least two class names");
    }
    return crm_check_dataset_labels(d, 2, error);
}

/* --- describe ------------------------------------------------------------ */

static int32_t describe(crm_plugin_buffer *response, crm_plugin_error *error)
{
    char *kernels[] = {"rbf", "linear"};
    Crm__Plugin__V1__Parameter kernel = CRM__PLUGIN__V1__PARAMETER__INIT;
    kernel.name = "kernel";
    kernel.type = CRM__PLUGIN__V1__PARAMETER_TYPE__PARAMETER_TYPE_STRING;
    kernel.default_value = "rbf";
    kernel.description = "rbf: SVC (libsvm's SMO, one-vs-one); linear: LinearSVC (liblinear's dual coordinate "
                         "descent or primal Newton on the squared hinge loss, one-vs-rest, regularised intercept).";
    kernel.n_allowed_values = 2;
    kernel.allowed_values = kernels;

    Crm__Plugin__V1__Parameter c = CRM__PLUGIN__V1__PARAMETER__INIT;
    c.name = "C";
    c.type = CRM__PLUGIN__V1__PARAMETER_TYPE__PARAMETER_TYPE_DOUBLE;
    c.default_value = "1.0";
    c.description = "Regularisation: the penalty of the errors; must be > 0.";
    c.lower_bound_case = CRM__PLUGIN__V1__PARAMETER__LOWER_BOUND_MINIMUM;
    c.minimum = 0;

    Crm__Plugin__V1__Parameter gamma = CRM__PLUGIN__V1__PARAMETER__INIT;
    gamma.name = "gamma";
    gamma.type = CRM__PLUGIN__V1__PARAMETER_TYPE__PARAMETER_TYPE_STRING;
    gamma.default_value = "scale";
    gamma.description = "RBF kernel coefficient: scale = 1 / (n_features · X.var()), auto = 1 / n_features, "
                        "or a number > 0. Ignored by kernel=linear.";

    Crm__Plugin__V1__Parameter tol = CRM__PLUGIN__V1__PARAMETER__INIT;
    tol.name = "tol";
    tol.type = CRM__PLUGIN__V1__PARAMETER_TYPE__PARAMETER_TYPE_DOUBLE;
    tol.default_value = "0.001";
    tol.description = "Tolerance of the stopping criterion; > 0. Default 1e-3 for rbf (SVC) and 1e-4 for linear "
                      "(LinearSVC).";
    tol.lower_bound_case = CRM__PLUGIN__V1__PARAMETER__LOWER_BOUND_MINIMUM;
    tol.minimum = 0;

    Crm__Plugin__V1__Parameter max_iter = CRM__PLUGIN__V1__PARAMETER__INIT;
    max_iter.name = "max_iter";
    max_iter.type = CRM__PLUGIN__V1__PARAMETER_TYPE__PARAMETER_TYPE_INT;
    max_iter.default_value = "-1";
    max_iter.description = "Iteration limit: -1 is none for rbf (SVC); linear (LinearSVC) uses 1000 when -1.";
    max_iter.lower_bound_case = CRM__PLUGIN__V1__PARAMETER__LOWER_BOUND_MINIMUM;
    max_iter.minimum = -1;

    Crm__Plugin__V1__Parameter random_state = CRM__PLUGIN__V1__PARAMETER__INIT;
    random_state.name = "random_state";
    random_state.type = CRM__PLUGIN__V1__PARAMETER_TYPE__PARAMETER_TYPE_INT;
    random_state.default_value = "None";
    random_state.nullable = 1;
    random_state.description = "Seed of the coordinate order of kernel=linear's dual solver; None uses 0 (always "
                               "deterministic).";

    Crm__Plugin__V1__Parameter *parameters[] = {&kernel, &c, &gamma, &tol, &max_iter, &random_state};
    Crm__Plugin__V1__Algorithm algorithm = CRM__PLUGIN__V1__ALGORITHM__INIT;
    algorithm.name = ALGORITHM;
    algorithm.display_name = "Support vector machine";
    algorithm.description = "Maximum-margin classifier: RBF kernel (SVC, one-vs-one) or linear (LinearSVC, "
                            "one-vs-rest). Probabilities are a softmax (logistic for two classes) of the decision "
                            "scores, not Platt scaling. Expects standardised features.";
    algorithm.n_parameters = 6;
    algorithm.parameters = parameters;
    algorithm.sklearn_equivalent = "sklearn.svm.SVC / sklearn.svm.LinearSVC";
    algorithm.supports_probabilities = 1;
    algorithm.supports_sample_weights = 1;
    algorithm.supports_progress = 1;

    Crm__Plugin__V1__Algorithm *algorithms[] = {&algorithm};
    char *methods[] = {CRM_METHOD_DESCRIBE, CRM_METHOD_TRAIN, CRM_METHOD_PREDICT};
    Crm__Plugin__V1__DescribeResponse description = CRM__PLUGIN__V1__DESCRIBE_RESPONSE__INIT;
    description.n_methods = 3;
    description.methods = methods;
    description.n_algorithms = 1;
    description.algorithms = algorithms;
    return crm_respond(&description.base, response, error);
}

/* --- train --------------------------------------------------------------- */

static int32_t train_decoded(const plugin_state *state, const Crm__Plugin__V1__TrainRequest *request,
    crm_call_context *ctx, crm_plugin_buffer *response, crm_plugin_error *error)
{
    if (strcmp(request->algorithm, ALGORITHM) != 0) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
            "unknown algorithm \"%.100s\"; this plugin offers " ALGORITHM, request->algorithm);
    }
    const char *kernel_text = "rbf", *c_text = "1.0", *gamma_text = "scale", *tol_text = NULL, *max_iter_text = "-1";
    const char *seed_text = NULL;
    for (size_t i = 0; i < request->n_parameters; i++) {
        const char *key = request->parameters[i]->key, *value = request->parameters[i]->value;
        if (strcmp(key, "kernel") == 0) {
            kernel_text = value;
        } else if (strcmp(key, "C") == 0) {
            c_text = value;
        } else if (strcmp(key, "gamma") == 0) {
            gamma_text = value;
        } else if (strcmp(key, "tol") == 0) {
            tol_text = value;
        } else if (strcmp(key, "max_iter") == 0) {
            max_iter_text = value;
        } else if (strcmp(key, "random_state") == 0) {
            seed_text = value;
        } else {
            return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
                "unknown parameter \"%.100s\" for algorithm " ALGORITHM "; it accepts: " PARAMETER_LIST, key);
        }
    }
    int linear;
    if (strcmp(kernel_text, "linear") == 0) {
        linear = 1;
    } else if (strcmp(kernel_text, "rbf") == 0) {
        linear = 0;
    } else {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
            "parameter \"kernel\" of algorithm " ALGORITHM " must be rbf or linear, not \"%.100s\"", kernel_text);
    }
    svm_params params = {0};
    if (!crm_parse_double(c_text, &params.C) || params.C <= 0) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
            "parameter \"C\" of algorithm " ALGORITHM " must be a number > 0, not \"%.100s\"", c_text);
    }
    if (tol_text == NULL) {
        params.tol = linear ? 1e-4 : 1e-3;
    } else if (!crm_parse_double(tol_text, &params.tol) || params.tol <= 0) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
            "parameter \"tol\" of algorithm " ALGORITHM " must be a number > 0, not \"%.100s\"", tol_text);
    }
    if (!crm_parse_int64(max_iter_text, &params.max_iter) || params.max_iter < -1 || params.max_iter == 0) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
            "parameter \"max_iter\" of algorithm " ALGORITHM " must be -1 or an integer > 0, not \"%.100s\"",
            max_iter_text);
    }
    if (linear && params.max_iter == -1) {
        params.max_iter = 1000;
    }
    int64_t seed = 0;
    if (seed_text != NULL && strcmp(seed_text, "None") != 0) {
        if (!crm_parse_int64(seed_text, &seed) || seed < 0) {
            return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
                "parameter \"random_state\" of algorithm " ALGORITHM " must be None or an integer ≥ 0, not \"%.100s\"",
                seed_text);
        }
    } else if (request->seed_case == CRM__PLUGIN__V1__TRAIN_REQUEST__SEED_RANDOM_STATE) {
        seed = request->random_state;
    }
    params.seed = (uint64_t)seed;

    const Crm__Plugin__V1__Dataset *d = request->dataset;
    int32_t status = check_training_set(d, error);
    if (status != CRM_STATUS_OK) {
        return status;
    }
    const uint32_t n_classes = (uint32_t)d->n_class_names;
    const size_t n_rows = (size_t)d->n_rows;
    const uint32_t n_features = (uint32_t)d->n_features;

    char gamma_effective[64] = "";
    if (!linear) {
        if (strcmp(gamma_text, "scale") == 0) {
            double mean = 0, m2 = 0;
            for (size_t i = 0; i < d->n_values; i++) {
                double delta = d->values[i] - mean;
                mean += delta / (double)(i + 1);
                m2 += delta * (d->values[i] - mean);
            }
            double var = m2 / (double)d->n_values;
            params.gamma = var > 0 ? 1.0 / ((double)n_features * var) : 1.0;
        } else if (strcmp(gamma_text, "auto") == 0) {
            params.gamma = 1.0 / (double)n_features;
        } else if (!crm_parse_double(gamma_text, &params.gamma) || params.gamma <= 0) {
            return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
                "parameter \"gamma\" of algorithm " ALGORITHM " must be scale, auto or a number > 0, not \"%.100s\"",
                gamma_text);
        }
        snprintf(gamma_effective, sizeof gamma_effective, "%.17g", params.gamma);
    }

    crm_progress progress = {state->host, ctx, "fitting", 0.2, 0};
    svm_model model;
    int64_t iterations = 0;
    int converged = 1;
    const double *weights = d->n_sample_weights ? d->sample_weights : NULL;
    int fitted = linear ? svm_fit_linear(&model, d->values, d->labels, weights, n_rows, n_features, n_classes,
                              &params, crm_progress_callback, &progress, &iterations, &converged)
                        : svm_fit_rbf(&model, d->values, d->labels, weights, n_rows, n_features, n_classes, &params,
                              crm_progress_callback, &progress, &iterations, &converged);
    if (fitted == SVM_CANCELLED) {
        return crm_fail(error, CRM_STATUS_CANCELLED, "training was cancelled");
    }
    if (fitted != SVM_OK) {
        return crm_fail(error, CRM_STATUS_RESOURCE_EXHAUSTED, "no memory to fit %zu rows", n_rows);
    }

    /* The training accuracy costs a prediction of every training row: with the RBF kernel that is as much as the
     * fit itself on a few thousand rows, for a number the host does not need (it evaluates on held-out rows). It
     * is reported when cheap: always for the linear kernel, up to TRAIN_ACCURACY_RBF_ROWS rows for RBF. */
    int report_accuracy = linear || n_rows <= TRAIN_ACCURACY_RBF_ROWS;
    uint32_t columns = svm_score_columns(&model);
    double *scores = report_accuracy ? malloc(columns * sizeof(double)) : NULL;
    size_t correct = 0;
    for (size_t r = 0; scores != NULL && r < n_rows; r++) {
        correct += svm_decision_row(&model, d->values + r * n_features, scores) == d->labels[r];
    }
    free(scores);

    size_t model_length = 0;
    uint8_t *model_bytes = svm_serialize(&model, &model_length);
    char sv_text[32];
    snprintf(sv_text, sizeof sv_text, "%u", model.n_sv);
    svm_free(&model);
    if (model_bytes == NULL) {
        return crm_fail(error, CRM_STATUS_RESOURCE_EXHAUSTED, "no memory for the model");
    }
    Crm__Plugin__V1__TrainResponse__MetricsEntry accuracy = CRM__PLUGIN__V1__TRAIN_RESPONSE__METRICS_ENTRY__INIT;
    accuracy.key = "train_accuracy";
    accuracy.value = (double)correct / (double)n_rows;
    Crm__Plugin__V1__TrainResponse__MetricsEntry support = CRM__PLUGIN__V1__TRAIN_RESPONSE__METRICS_ENTRY__INIT;
    support.key = "n_support_vectors";
    support.value = (double)model.n_sv;
    Crm__Plugin__V1__TrainResponse__MetricsEntry *metrics[2];
    size_t n_metrics = 0;
    if (report_accuracy) {
        metrics[n_metrics++] = &accuracy;
    }
    if (!linear) {
        metrics[n_metrics++] = &support;
    }

    char c_effective[64], tol_effective[64], iter_effective[32], seed_effective[32];
    snprintf(c_effective, sizeof c_effective, "%.17g", params.C);
    snprintf(tol_effective, sizeof tol_effective, "%.17g", params.tol);
    snprintf(iter_effective, sizeof iter_effective, "%lld", (long long)params.max_iter);
    snprintf(seed_effective, sizeof seed_effective, "%lld", (long long)seed);
    const char *keys[] = {"kernel", "C", "tol", "max_iter", "random_state", "gamma"};
    const char *values[] = {linear ? "linear" : "rbf", c_effective, tol_effective, iter_effective, seed_effective,
        gamma_effective};
    Crm__Plugin__V1__TrainResponse__EffectiveParametersEntry entries[6];
    Crm__Plugin__V1__TrainResponse__EffectiveParametersEntry *effective[6];
    size_t n_effective = linear ? 5 : 6;
    for (size_t i = 0; i < n_effective; i++) {
        Crm__Plugin__V1__TrainResponse__EffectiveParametersEntry init =
            CRM__PLUGIN__V1__TRAIN_RESPONSE__EFFECTIVE_PARAMETERS_ENTRY__INIT;
        entries[i] = init;
        entries[i].key = (char *)keys[i];
        entries[i].value = (char *)values[i];
        effective[i] = &entries[i];
    }
    char *notes[1];
    char note[160];
    if (!converged) {
        snprintf(note, sizeof note, "the solver did not converge within max_iter=%lld iterations; consider raising it",
            (long long)params.max_iter);
        notes[0] = note;
    }

    Crm__Plugin__V1__TrainResponse trained = CRM__PLUGIN__V1__TRAIN_RESPONSE__INIT;
    trained.model.data = model_bytes;
    trained.model.len = model_length;
    trained.n_metrics = n_metrics;
    trained.metrics = metrics;
    trained.n_effective_parameters = n_effective;
    trained.effective_parameters = effective;
    trained.n_iterations = iterations > INT32_MAX ? INT32_MAX : (int32_t)iterations;
    trained.n_notes = converged ? 0 : 1;
    trained.notes = notes;
    status = crm_respond(&trained.base, response, error);
    free(model_bytes);
    if (status == CRM_STATUS_OK) {
        crm_progress_done(&progress);
    }
    return status;
}

/* --- predict ------------------------------------------------------------- */

static int32_t predict_decoded(const plugin_state *state, const Crm__Plugin__V1__PredictRequest *request,
    crm_call_context *ctx, crm_plugin_buffer *response, crm_plugin_error *error)
{
    const Crm__Plugin__V1__Dataset *d = request->dataset;
    int32_t status = crm_check_dataset(d, 0, 0, error);
    if (status != CRM_STATUS_OK) {
        return status;
    }
    svm_model model;
    if (svm_deserialize(&model, request->model.data, request->model.len) != 0) {
        return crm_fail(error, CRM_STATUS_FAILED_PRECONDITION, "the model bytes are not an " ALGORITHM " model");
    }
    if ((uint32_t)d->n_features != model.n_features) {
        status = crm_fail(error, CRM_STATUS_INVALID_ARGUMENT, "the model was trained on %u features, the rows have %d",
            model.n_features, d->n_features);
        svm_free(&model);
        return status;
    }
    const size_t rows = (size_t)d->n_rows, k = model.n_classes, columns = svm_score_columns(&model);
    int32_t *classes = malloc((rows ? rows : 1) * sizeof(int32_t));
    double *probabilities = malloc((rows ? rows : 1) * k * sizeof(double));
    double *scores = malloc((rows ? rows : 1) * columns * sizeof(double));
    if (classes == NULL || probabilities == NULL || scores == NULL) {
        status = crm_fail(error, CRM_STATUS_RESOURCE_EXHAUSTED, "no memory to predict %zu rows", rows);
    } else {
        for (size_t r = 0; r < rows; r++) {
            if (r % 4096 == 0 && r > 0 && ctx != NULL && state->host != NULL) {
                if (state->host->is_cancelled(ctx)) {
                    status = crm_fail(error, CRM_STATUS_CANCELLED, "prediction was cancelled");
                    break;
                }
                state->host->report_progress(ctx, (double)r / (double)rows, "predicting");
            }
            double *s = scores + r * columns;
            classes[r] = svm_decision_row(&model, d->values + r * model.n_features, s);
            svm_probabilities(&model, s, probabilities + r * k);
        }
        if (status == CRM_STATUS_OK) {
            Crm__Plugin__V1__PredictResponse predicted = CRM__PLUGIN__V1__PREDICT_RESPONSE__INIT;
            predicted.n_predicted_classes = rows;
            predicted.predicted_classes = classes;
            predicted.n_classes = (int32_t)k;
            predicted.n_probabilities = rows * k;
            predicted.probabilities = probabilities;
            if (request->want_decision_scores) {
                predicted.n_score_columns = (int32_t)columns;
                predicted.n_decision_scores = rows * columns;
                predicted.decision_scores = scores;
            }
            status = crm_respond(&predicted.base, response, error);
        }
    }
    free(classes);
    free(probabilities);
    free(scores);
    svm_free(&model);
    return status;
}

/* --- the descriptor's functions ------------------------------------------ */

static int32_t plugin_init(const crm_host_api *host, const uint8_t *config, size_t config_len, void **state,
    crm_plugin_error *error)
{
    Crm__Plugin__V1__PluginConfig *configuration = crm__plugin__v1__plugin_config__unpack(NULL, config_len, config);
    if (configuration == NULL) {
        return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
            "the configuration is not a valid crm.plugin.v1.PluginConfig");
    }
    plugin_state *s = calloc(1, sizeof *s);
    if (s == NULL) {
        crm__plugin__v1__plugin_config__free_unpacked(configuration, NULL);
        return crm_fail(error, CRM_STATUS_RESOURCE_EXHAUSTED, "no memory");
    }
    s->host = host;
    for (size_t i = 0; i < configuration->n_settings; i++) {
        char message[200];
        snprintf(message, sizeof message, "ignoring unknown setting \"%.100s\"", configuration->settings[i]->key);
        crm_log(host, CRM_LOG_WARNING, message);
    }
    crm__plugin__v1__plugin_config__free_unpacked(configuration, NULL);
    *state = s;
    return CRM_STATUS_OK;
}

static int32_t plugin_call(void *state, const char *method, const uint8_t *request, size_t request_len,
    crm_call_context *ctx, crm_plugin_buffer *response, crm_plugin_error *error)
{
    const plugin_state *s = state;
    if (strcmp(method, CRM_METHOD_DESCRIBE) == 0) {
        return describe(response, error);
    }
    if (strcmp(method, CRM_METHOD_TRAIN) == 0) {
        Crm__Plugin__V1__TrainRequest *decoded = crm__plugin__v1__train_request__unpack(NULL, request_len, request);
        if (decoded == NULL) {
            return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
                "the train request is not a valid crm.plugin.v1.TrainRequest");
        }
        int32_t status = train_decoded(s, decoded, ctx, response, error);
        crm__plugin__v1__train_request__free_unpacked(decoded, NULL);
        return status;
    }
    if (strcmp(method, CRM_METHOD_PREDICT) == 0) {
        Crm__Plugin__V1__PredictRequest *decoded = crm__plugin__v1__predict_request__unpack(NULL, request_len, request);
        if (decoded == NULL) {
            return crm_fail(error, CRM_STATUS_INVALID_ARGUMENT,
                "the predict request is not a valid crm.plugin.v1.PredictRequest");
        }
        int32_t status = predict_decoded(s, decoded, ctx, response, error);
        crm__plugin__v1__predict_request__free_unpacked(decoded, NULL);
        return status;
    }
    return crm_fail(error, CRM_STATUS_UNIMPLEMENTED,
        "plugin svm has no method \"%.100s\"; it offers describe, train, predict", method);
}

static void plugin_free_buffer(uint8_t *data, size_t len)
{
    (void)len;
    free(data);
}

static void plugin_shutdown(void *state)
{
    free(state);
}

static const crm_plugin_descriptor descriptor = {
    .magic = CRM_PLUGIN_MAGIC,
    .abi_major = CRM_PLUGIN_ABI_MAJOR,
    .abi_minor = CRM_PLUGIN_ABI_MINOR,
    .struct_size = sizeof(crm_plugin_descriptor),
    .kind = CRM_PLUGIN_KIND_ANALYSIS,
    .flags = 0,
    .name = "svm",
    .version = "1.0.0",
    .description = "Support vector machines: RBF-kernel SVC (SMO, one-vs-one) and LinearSVC (dual coordinate descent, "
                   "one-vs-rest)",
    .license = "Apache-2.0",
    .init = plugin_init,
    .call = plugin_call,
    .free_buffer = plugin_free_buffer,
    .shutdown = plugin_shutdown,
};

CRM_PLUGIN_EXPORT const crm_plugin_descriptor *CRM_PLUGIN_ENTRY(void)
{
    return &descriptor;
}
