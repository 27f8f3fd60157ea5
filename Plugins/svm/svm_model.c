/*
 * The svm plugin's models: decision scores, probabilities and the model
 * bytes, for both kinds (linear and RBF).
 *
 * Model bytes, format version 1, all integers u32 and all reals IEEE-754
 * doubles, little-endian:
 *   "CSVM", version (1), kind (1 linear, 2 RBF), n_features, n_classes,
 *   n_models;
 *   linear: n_models × (n_features + 1) weights (the intercept last);
 *   RBF: gamma, n_sv, n_sv × n_features support vectors,
 *        n_models × n_sv coefficients, n_models rho values.
 *   then a trailer: the 64-bit FNV-1a hash of every byte before it.
 * The hash, every count (against the length) and every real (finite) are
 * checked before a model is used.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svm_plugin.h"

#define SVM_MAGIC "CSVM"
#define SVM_FORMAT_VERSION 1u
#define SVM_HEADER 24u
#define SVM_MAX_FEATURES (1u << 24)
#define SVM_MAX_CLASSES (1u << 12)

uint32_t svm_score_columns(const svm_model *model)
{
    return model->n_classes == 2 ? 1 : model->n_classes;
}

/* −γ‖a − b‖² with four independent sums (see svm_rbf.c); e^ of it is taken in a second, vectorisable loop. */
static double rbf_exponent(const double *a, const double *b, uint32_t n, double gamma)
{
    double d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    uint32_t j = 0;
    for (; j + 4 <= n; j += 4) {
        double t0 = a[j] - b[j], t1 = a[j + 1] - b[j + 1], t2 = a[j + 2] - b[j + 2], t3 = a[j + 3] - b[j + 3];
        d0 += t0 * t0;
        d1 += t1 * t1;
        d2 += t2 * t2;
        d3 += t3 * t3;
    }
    for (; j < n; j++) {
        double t = a[j] - b[j];
        d0 += t * t;
    }
    return -gamma * ((d0 + d1) + (d2 + d3));
}

static int32_t decision_linear(const svm_model *model, const double *x, double *scores)
{
    const uint32_t n = model->n_features;
    for (uint32_t m = 0; m < model->n_models; m++) {
        const double *w = model->w + (size_t)m * (n + 1);
        double s = w[n];
        for (uint32_t j = 0; j < n; j++) {
            s += w[j] * x[j];
        }
        scores[m] = s;
    }
    if (model->n_models == 1) {
        return scores[0] > 0 ? 1 : 0;
    }
    int32_t best = 0;
    for (uint32_t m = 1; m < model->n_models; m++) {
        if (scores[m] > scores[best]) {
            best = (int32_t)m;
        }
    }
    return best;
}

static int32_t decision_rbf(const svm_model *model, const double *x, double *scores)
{
    const uint32_t n = model->n_features, k = model->n_classes;
    double kernel_stack[256];
    double *kv = model->n_sv <= 256 ? kernel_stack : malloc(model->n_sv * sizeof(double));
    double conf_stack[64];
    uint32_t votes_stack[64];
    double *conf = k <= 64 ? conf_stack : calloc(k, sizeof(double));
    uint32_t *votes = k <= 64 ? votes_stack : calloc(k, sizeof(uint32_t));
    if (kv == NULL || conf == NULL || votes == NULL) {
        /* out of memory: no better answer than class 0 */
        if (kv != kernel_stack) free(kv);
        if (conf != conf_stack) free(conf);
        if (votes != votes_stack) free(votes);
        memset(scores, 0, svm_score_columns(model) * sizeof(double));
        return 0;
    }
    for (uint32_t s = 0; s < model->n_sv; s++) {
        kv[s] = rbf_exponent(x, model->sv + (size_t)s * n, n, model->gamma);
    }
    for (uint32_t s = 0; s < model->n_sv; s++) {
        kv[s] = svm_exp_nonpositive(kv[s]);
    }
    for (uint32_t c = 0; c < k; c++) {
        conf[c] = 0;
        votes[c] = 0;
    }
    double first = 0;
    uint32_t p = 0;
    for (uint32_t i = 0; i < k; i++) {
        for (uint32_t j = i + 1; j < k; j++, p++) {
            const double *coef = model->coef + (size_t)p * model->n_sv;
            double dec = -model->rho[p];
            for (uint32_t s = 0; s < model->n_sv; s++) {
                dec += coef[s] * kv[s];
            }
            if (p == 0) {
                first = dec;
            }
            votes[dec > 0 ? i : j]++;
            conf[i] += dec;
            conf[j] -= dec;
        }
    }
    int32_t best = 0;
    for (uint32_t c = 1; c < k; c++) {
        if (votes[c] > votes[best]) {
            best = (int32_t)c;
        }
    }
    if (k == 2) {
        scores[0] = -first; /* scikit-learn: positive favours class 1 */
    } else {
        for (uint32_t c = 0; c < k; c++) {
            scores[c] = votes[c] + conf[c] / (3.0 * (fabs(conf[c]) + 1.0));
        }
    }
    if (kv != kernel_stack) free(kv);
    if (conf != conf_stack) free(conf);
    if (votes != votes_stack) free(votes);
    return best;
}

int32_t svm_decision_row(const svm_model *model, const double *x, double *scores)
{
    return model->kind == SVM_KIND_RBF ? decision_rbf(model, x, scores) : decision_linear(model, x, scores);
}

void svm_probabilities(const svm_model *model, const double *scores, double *probabilities)
{
    if (model->n_classes == 2) {
        double p1 = 1.0 / (1.0 + exp(-scores[0]));
        probabilities[0] = 1.0 - p1;
        probabilities[1] = p1;
        return;
    }
    double top = scores[0];
    for (uint32_t k = 1; k < model->n_classes; k++) {
        top = fmax(top, scores[k]);
    }
    double sum = 0;
    for (uint32_t k = 0; k < model->n_classes; k++) {
        probabilities[k] = exp(scores[k] - top);
        sum += probabilities[k];
    }
    for (uint32_t k = 0; k < model->n_classes; k++) {
        probabilities[k] /= sum;
    }
}

/* --- model bytes --------------------------------------------------------- */

static uint64_t fnv1a(const uint8_t *bytes, size_t length)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < length; i++) {
        h = (h ^ bytes[i]) * 0x100000001b3ull;
    }
    return h;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_f64(uint8_t *p, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(bits >> (8 * i));
    }
}

static double get_f64(const uint8_t *p)
{
    uint64_t bits = 0;
    for (int i = 0; i < 8; i++) {
        bits |= (uint64_t)p[i] << (8 * i);
    }
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

static uint8_t *put_array(uint8_t *p, const double *values, size_t count)
{
    for (size_t i = 0; i < count; i++, p += 8) {
        put_f64(p, values[i]);
    }
    return p;
}

/* Reads `count` finite doubles into a new array; NULL when one is not finite or no memory. */
static double *get_array(const uint8_t **p, size_t count)
{
    double *values = malloc((count ? count : 1) * sizeof(double));
    if (values == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < count; i++, *p += 8) {
        values[i] = get_f64(*p);
        if (!isfinite(values[i])) {
            free(values);
            return NULL;
        }
    }
    return values;
}

uint8_t *svm_serialize(const svm_model *model, size_t *length)
{
    size_t size = SVM_HEADER;
    if (model->kind == SVM_KIND_LINEAR) {
        size += (size_t)model->n_models * (model->n_features + 1) * 8;
    } else {
        size += 12 + ((size_t)model->n_sv * model->n_features + (size_t)model->n_models * model->n_sv +
                         model->n_models) * 8;
    }
    uint8_t *bytes = malloc(size + 8);
    if (bytes == NULL) {
        return NULL;
    }
    memcpy(bytes, SVM_MAGIC, 4);
    put_u32(bytes + 4, SVM_FORMAT_VERSION);
    put_u32(bytes + 8, model->kind);
    put_u32(bytes + 12, model->n_features);
    put_u32(bytes + 16, model->n_classes);
    put_u32(bytes + 20, model->n_models);
    uint8_t *p = bytes + SVM_HEADER;
    if (model->kind == SVM_KIND_LINEAR) {
        put_array(p, model->w, (size_t)model->n_models * (model->n_features + 1));
    } else {
        put_f64(p, model->gamma);
        put_u32(p + 8, model->n_sv);
        p = put_array(p + 12, model->sv, (size_t)model->n_sv * model->n_features);
        p = put_array(p, model->coef, (size_t)model->n_models * model->n_sv);
        put_array(p, model->rho, model->n_models);
    }
    uint64_t h = fnv1a(bytes, size);
    for (int i = 0; i < 8; i++) {
        bytes[size + (size_t)i] = (uint8_t)(h >> (8 * i));
    }
    *length = size + 8;
    return bytes;
}

int svm_deserialize(svm_model *model, const uint8_t *bytes, size_t length)
{
    memset(model, 0, sizeof *model);
    if (bytes == NULL || length < SVM_HEADER + 8 || memcmp(bytes, SVM_MAGIC, 4) != 0 ||
        get_u32(bytes + 4) != SVM_FORMAT_VERSION) {
        return -1;
    }
    length -= 8; /* the trailer */
    uint64_t stored = 0;
    for (int i = 0; i < 8; i++) {
        stored |= (uint64_t)bytes[length + (size_t)i] << (8 * i);
    }
    if (stored != fnv1a(bytes, length)) {
        return -1;
    }
    uint32_t kind = get_u32(bytes + 8);
    uint32_t n_features = get_u32(bytes + 12), n_classes = get_u32(bytes + 16), n_models = get_u32(bytes + 20);
    if (n_features < 1 || n_features > SVM_MAX_FEATURES || n_classes < 2 || n_classes > SVM_MAX_CLASSES) {
        return -1;
    }
    const uint8_t *p = bytes + SVM_HEADER;
    model->kind = kind;
    model->n_features = n_features;
    model->n_classes = n_classes;
    model->n_models = n_models;
    if (kind == SVM_KIND_LINEAR) {
        size_t count = (size_t)n_models * (n_features + 1);
        if (n_models != (n_classes == 2 ? 1 : n_classes) || length != SVM_HEADER + count * 8) {
            return -1;
        }
        model->w = get_array(&p, count);
        return model->w != NULL ? 0 : -1;
    }
    if (kind != SVM_KIND_RBF || n_models != n_classes * (n_classes - 1) / 2 || length < SVM_HEADER + 12) {
        return -1;
    }
    model->gamma = get_f64(p);
    uint32_t n_sv = get_u32(p + 8);
    p += 12;
    size_t expected = ((size_t)n_sv * n_features + (size_t)n_models * n_sv + n_models) * 8;
    if (!isfinite(model->gamma) || model->gamma <= 0 || n_sv > (1u << 28) ||
        length - (SVM_HEADER + 12) != expected) {
        return -1;
    }
    model->n_sv = n_sv;
    model->sv = get_array(&p, (size_t)n_sv * n_features);
    model->coef = model->sv != NULL ? get_array(&p, (size_t)n_models * n_sv) : NULL;
    model->rho = model->coef != NULL ? get_array(&p, n_models) : NULL;
    if (model->rho == NULL) {
        svm_free(model);
        return -1;
    }
    return 0;
}

void svm_free(svm_model *model)
{
    free(model->w);
    free(model->sv);
    free(model->coef);
    free(model->rho);
    model->w = model->sv = model->coef = model->rho = NULL;
}
