/*
 * The math of the svm plugin, free of the plugin ABI: a linear SVM trained
 * as liblinear's L2-regularised squared-hinge SVM (scikit-learn's
 * LinearSVC; dual coordinate descent or primal Newton, as dual='auto'),
 * one-vs-rest for more than two classes; and libsvm's RBF C-SVC (SMO,
 * one-vs-one).
 * Internal to the plugin library: only crm_plugin_entry is exported.
 */
#ifndef SVM_PLUGIN_H
#define SVM_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SVM_INTERNAL __attribute__((visibility("hidden")))

enum { SVM_KIND_LINEAR = 1, SVM_KIND_RBF = 2 };

/* A trained model. Linear: `n_models` weight vectors of n_features + 1
 * values (the weights, then the intercept), row-major in `w`; n_models is 1
 * for two classes (positive class 1, as scikit-learn) and n_classes
 * otherwise (one-vs-rest).
 * RBF: libsvm's one-vs-one C-SVC: `n_sv` support vectors (row-major in
 * `sv`), for each of the n_classes·(n_classes−1)/2 pairs (0,1), (0,2), …,
 * (1,2), … a coefficient (alpha·y, 0 when not a support vector of that pair)
 * per support vector in `coef` (row-major n_pairs × n_sv) and `rho`. */
typedef struct svm_model {
    uint32_t kind;
    uint32_t n_features;
    uint32_t n_classes;
    uint32_t n_models; /* linear: weight vectors; RBF: pairs */
    double *w;
    double gamma;
    uint32_t n_sv;
    double *sv;
    double *coef;
    double *rho;
} svm_model;

/* The number of decision-score columns: 1 for two classes, else n_classes. */
SVM_INTERNAL uint32_t svm_score_columns(const svm_model *model);

/* Called once per outer iteration with the fraction done; non-zero stops. */
typedef int (*svm_progress_fn)(void *context, double fraction);

enum { SVM_OK = 0, SVM_CANCELLED = 1, SVM_NO_MEMORY = 2 };

typedef struct svm_params {
    double C;
    double tol;
    int64_t max_iter;
    uint64_t seed;
    double gamma; /* RBF only, > 0 */
} svm_params;

/* Fits a linear model to row-major `x` (n_rows × n_features), labels `y`
 * (< n_classes, n_classes ≥ 2) and optional weights (NULL: all 1).
 * `iterations` receives the largest number of outer iterations of any
 * sub-problem, `converged` whether every sub-problem converged. */
SVM_INTERNAL int svm_fit_linear(svm_model *model, const double *x, const int32_t *y, const double *weights,
    size_t n_rows, uint32_t n_features, uint32_t n_classes, const svm_params *params, svm_progress_fn progress,
    void *progress_context, int64_t *iterations, int *converged);

/* Fits libsvm's C-SVC with an RBF kernel: SMO with the second-order working
 * set selection (WSS2), a kernel-row cache, one-vs-one. `max_iter` ≤ 0 is
 * no limit. */
SVM_INTERNAL int svm_fit_rbf(svm_model *model, const double *x, const int32_t *y, const double *weights,
    size_t n_rows, uint32_t n_features, uint32_t n_classes, const svm_params *params, svm_progress_fn progress,
    void *progress_context, int64_t *iterations, int *converged);

/* Decision scores of row `x` into `scores` (svm_score_columns values, as
 * scikit-learn's decision_function: positive favours class 1 for two classes;
 * for RBF with more classes, votes plus scaled confidences as SVC's
 * decision_function_shape='ovr'); returns the
 * predicted class. */
SVM_INTERNAL int32_t svm_decision_row(const svm_model *model, const double *x, double *scores);

/* Probabilities from the decision scores (n_classes values): the logistic
 * function of the score for two classes, a softmax of the one-vs-rest scores
 * otherwise. */
SVM_INTERNAL void svm_probabilities(const svm_model *model, const double *scores, double *probabilities);

/* "CSVM", format version, kind, counts, then little-endian doubles. */
SVM_INTERNAL uint8_t *svm_serialize(const svm_model *model, size_t *length);
/* Returns 0, or -1 when the bytes are not a valid model of this format. */
SVM_INTERNAL int svm_deserialize(svm_model *model, const uint8_t *bytes, size_t length);
SVM_INTERNAL void svm_free(svm_model *model);

/* Shared by the solver (svm_rbf.c) and prediction (svm_model.c). */
/* e^x for x ≤ 0, within about one unit in the last place of a double, so the float kernel values are those of
 * libm's exp but for the rare value within that error of a float rounding boundary. Written without branches or
 * calls, so a loop of it vectorises: libm's exp was a third of the fit time. x = k·ln 2 + r, |r| ≤ ln 2 / 2, with k
 * rounded by adding and subtracting 1.5·2⁵² (round to nearest, no SSE4.1 rint needed); e^r by its Taylor series
 * to r¹² (remainder under 2e-16); 2^k assembled in the exponent bits. x is clamped at −708, where e^x is far
 * below the least float. */
static inline double svm_exp_nonpositive(double x)
{
    const double shift = 0x1.8p52;
    x = x > -708.0 ? x : -708.0;
    double kd = x * 0x1.71547652b82fep0 + shift; /* x·log₂e */
    uint64_t kbits;
    memcpy(&kbits, &kd, sizeof kbits);
    kd -= shift;
    double r = x - kd * 0x1.62e42fefa3800p-1 - kd * 0x1.ef35793c76730p-45; /* ln 2 in two parts */
    double e = 1.0 / 479001600.0;
    e = e * r + 1.0 / 39916800.0;
    e = e * r + 1.0 / 3628800.0;
    e = e * r + 1.0 / 362880.0;
    e = e * r + 1.0 / 40320.0;
    e = e * r + 1.0 / 5040.0;
    e = e * r + 1.0 / 720.0;
    e = e * r + 1.0 / 120.0;
    e = e * r + 1.0 / 24.0;
    e = e * r + 1.0 / 6.0;
    e = e * r + 0.5;
    e = e * r + 1.0;
    e = e * r + 1.0;
    /* the low bits of kbits hold k (two's complement); 2^k = (k + 1023) in the exponent field */
    uint64_t scale_bits = (kbits + 1023) << 52;
    double scale;
    memcpy(&scale, &scale_bits, sizeof scale);
    return e * scale;
}


#endif /* SVM_PLUGIN_H */
