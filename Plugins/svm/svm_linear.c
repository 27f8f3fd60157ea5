/*
 * Linear SVM as liblinear (scikit-learn's LinearSVC, loss='squared_hinge',
 * penalty='l2', dual='auto'): the L2-regularised squared-hinge problem
 *     min ½‖w‖² + Σ C_i max(0, 1 − y_i w·x_i)²
 * solved, as dual='auto' chooses, in the DUAL by coordinate descent with
 * random permutations and shrinking (L2R_L2LOSS_SVC_DUAL; Hsieh et al.,
 * ICML 2008) when there are no more rows than features, and otherwise in the
 * PRIMAL by a Newton method with conjugate gradients and a line search
 * (L2R_L2LOSS_SVC, liblinear ≥ 2.40's stopping rule). The intercept is a
 * constant feature of value 1 that is regularised too, as liblinear's bias
 * with intercept_scaling=1.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svm_plugin.h"

/* splitmix64: a small seeded generator, one per fit (no global state). */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double dot_bias(const double *w, const double *x, uint32_t n)
{
    double s = w[n]; /* bias feature = 1 */
    for (uint32_t j = 0; j < n; j++) {
        s += w[j] * x[j];
    }
    return s;
}

/* One binary problem: rows with y_sign[i] = ±1; `cost[i]` the per-row C
 * (0 for rows left out). */
static int solve_binary(double *w, const double *x, const int8_t *y_sign, const double *cost, size_t l, uint32_t n,
    const svm_params *p, uint64_t *rng, svm_progress_fn progress, void *ctx, double done, double share,
    int64_t *iterations, int *converged)
{
    double *alpha = calloc(l ? l : 1, sizeof(double));
    double *qd = malloc((l ? l : 1) * sizeof(double));
    double *diag = malloc((l ? l : 1) * sizeof(double));
    size_t *index = malloc((l ? l : 1) * sizeof(size_t));
    if (alpha == NULL || qd == NULL || diag == NULL || index == NULL) {
        free(alpha), free(qd), free(diag), free(index);
        return SVM_NO_MEMORY;
    }
    memset(w, 0, (n + 1) * sizeof(double));
    size_t active = 0;
    for (size_t i = 0; i < l; i++) {
        if (cost[i] <= 0) {
            continue; /* a zero-weight row does not take part */
        }
        diag[i] = 0.5 / cost[i];
        const double *xi = x + i * n;
        double sq = 1.0;
        for (uint32_t j = 0; j < n; j++) {
            sq += xi[j] * xi[j];
        }
        qd[i] = diag[i] + sq;
        index[active++] = i;
    }
    const size_t total = active;
    /* with the L2 loss alpha has no upper bound: only the lower bound shrinks */
    double pg_max_old = INFINITY;
    int64_t iter = 0;
    int status = SVM_OK;
    int ok = 0;
    while (iter < p->max_iter) {
        if (progress != NULL && progress(ctx, done + share * (double)iter / (double)p->max_iter)) {
            status = SVM_CANCELLED;
            break;
        }
        double pg_max_new = -INFINITY, pg_min_new = INFINITY;
        for (size_t i = 0; i < active; i++) {
            size_t j = i + (size_t)(next_random(rng) % (uint64_t)(active - i));
            size_t t = index[i];
            index[i] = index[j];
            index[j] = t;
        }
        for (size_t s = 0; s < active; s++) {
            size_t i = index[s];
            const double *xi = x + i * n;
            double yi = y_sign[i];
            double g = yi * dot_bias(w, xi, n) - 1.0 + alpha[i] * diag[i];
            double pg = 0;
            if (alpha[i] == 0) {
                if (g > pg_max_old) {
                    active--;
                    index[s] = index[active];
                    index[active] = i;
                    s--;
                    continue;
                } else if (g < 0) {
                    pg = g;
                }
            } else {
                pg = g;
            }
            if (pg > pg_max_new) pg_max_new = pg;
            if (pg < pg_min_new) pg_min_new = pg;
            if (fabs(pg) > 1.0e-12) {
                double old = alpha[i];
                alpha[i] = fmax(old - g / qd[i], 0.0);
                double d = (alpha[i] - old) * yi;
                for (uint32_t k = 0; k < n; k++) {
                    w[k] += d * xi[k];
                }
                w[n] += d;
            }
        }
        iter++;
        if (active == 0 || pg_max_new - pg_min_new <= p->tol) {
            if (active == total) {
                ok = 1;
                break;
            }
            active = total;
            pg_max_old = INFINITY;
            continue;
        }
        pg_max_old = pg_max_new <= 0 ? INFINITY : pg_max_new;
    }
    if (iter > *iterations) {
        *iterations = iter;
    }
    if (!ok) {
        *converged = 0;
    }
    free(alpha), free(qd), free(diag), free(index);
    return status;
}

/* --- the primal problem (liblinear's L2R_L2LOSS_SVC, Newton with a line search) --- */

/* f(w) = ½‖w‖² + Σ C_i max(0, 1 − y_i w·x_i)²; fills z_i = y_i w·x_i. */
static double primal_value(const double *w, const double *x, const int8_t *y, const double *cost, size_t l,
    uint32_t n, double *z)
{
    double f = 0;
    for (uint32_t j = 0; j <= n; j++) {
        f += w[j] * w[j];
    }
    f *= 0.5;
    for (size_t i = 0; i < l; i++) {
        z[i] = y[i] * dot_bias(w, x + i * n, n);
        double d = 1 - z[i];
        if (d > 0 && cost[i] > 0) {
            f += cost[i] * d * d;
        }
    }
    return f;
}

/* out = v + 2 Σ_{i active} C_i x_i (x_i·v) */
static void hessian_times(const double *v, const double *x, const double *z, const double *cost, size_t l, uint32_t n,
    double *out)
{
    memcpy(out, v, (n + 1) * sizeof(double));
    for (size_t i = 0; i < l; i++) {
        if (z[i] < 1 && cost[i] > 0) {
            const double *xi = x + i * n;
            double t = 2 * cost[i] * dot_bias(v, xi, n);
            for (uint32_t j = 0; j < n; j++) {
                out[j] += t * xi[j];
            }
            out[n] += t;
        }
    }
}

static double dot(const double *a, const double *b, uint32_t m)
{
    double s = 0;
    for (uint32_t j = 0; j < m; j++) {
        s += a[j] * b[j];
    }
    return s;
}

static int solve_primal(double *w, const double *x, const int8_t *y, const double *cost, size_t l, uint32_t n,
    const svm_params *p, svm_progress_fn progress, void *ctx, double done, double share, int64_t *iterations,
    int *converged)
{
    const uint32_t m = n + 1;
    double *z = malloc((l ? l : 1) * sizeof(double));
    double *g = malloc(m * sizeof(double)), *d = malloc(m * sizeof(double)), *r = malloc(m * sizeof(double));
    double *q = malloc(m * sizeof(double)), *s = malloc(m * sizeof(double)), *wn = malloc(m * sizeof(double));
    if (z == NULL || g == NULL || d == NULL || r == NULL || q == NULL || s == NULL || wn == NULL) {
        free(z), free(g), free(d), free(r), free(q), free(s), free(wn);
        return SVM_NO_MEMORY;
    }
    size_t pos = 0, neg = 0;
    for (size_t i = 0; i < l; i++) {
        if (cost[i] > 0) {
            if (y[i] > 0) pos++; else neg++;
        }
    }
    size_t smaller = pos < neg ? pos : neg;
    const double eps = p->tol * (double)(smaller > 0 ? smaller : 1) / (double)(l ? l : 1);
    memset(w, 0, m * sizeof(double));
    double f = primal_value(w, x, y, cost, l, n, z);
    double gnorm0 = 0;
    int64_t iter = 0;
    int status = SVM_OK, ok = 0;
    while (iter < p->max_iter) {
        if (progress != NULL && progress(ctx, done + share * (double)iter / (double)p->max_iter)) {
            status = SVM_CANCELLED;
            break;
        }
        /* gradient: w + 2 Σ C_i (z_i − 1) y_i x_i over the active rows */
        memcpy(g, w, m * sizeof(double));
        for (size_t i = 0; i < l; i++) {
            if (z[i] < 1 && cost[i] > 0) {
                const double *xi = x + i * n;
                double t = 2 * cost[i] * (z[i] - 1) * y[i];
                for (uint32_t j = 0; j < n; j++) {
                    g[j] += t * xi[j];
                }
                g[n] += t;
            }
        }
        double gnorm = sqrt(dot(g, g, m));
        if (iter == 0) {
            gnorm0 = gnorm;
        }
        if (gnorm <= eps * gnorm0) {
            ok = 1;
            break;
        }
        /* conjugate gradient on H s = −g to relative accuracy 0.1 */
        memset(s, 0, m * sizeof(double));
        for (uint32_t j = 0; j < m; j++) {
            r[j] = -g[j];
            d[j] = r[j];
        }
        double rr = dot(r, r, m);
        const double cg_tol = 0.1 * gnorm;
        for (uint32_t k = 0; k < 2 * m + 10 && sqrt(rr) > cg_tol; k++) {
            hessian_times(d, x, z, cost, l, n, q);
            double dq = dot(d, q, m);
            if (dq <= 0) {
                break;
            }
            double a = rr / dq;
            for (uint32_t j = 0; j < m; j++) {
                s[j] += a * d[j];
                r[j] -= a * q[j];
            }
            double rr_new = dot(r, r, m);
            double b = rr_new / rr;
            rr = rr_new;
            for (uint32_t j = 0; j < m; j++) {
                d[j] = r[j] + b * d[j];
            }
        }
        /* backtracking line search (Armijo) */
        double gs = dot(g, s, m), step = 1, f_new = f;
        int moved = 0;
        for (int k = 0; k < 30; k++, step *= 0.5) {
            for (uint32_t j = 0; j < m; j++) {
                wn[j] = w[j] + step * s[j];
            }
            f_new = primal_value(wn, x, y, cost, l, n, z);
            if (f_new - f <= 0.01 * step * gs) {
                moved = 1;
                break;
            }
        }
        iter++;
        if (!moved) {
            primal_value(w, x, y, cost, l, n, z);
            ok = 1; /* no decrease possible: at the optimum to machine precision */
            break;
        }
        memcpy(w, wn, m * sizeof(double));
        f = f_new;
    }
    if (iter > *iterations) {
        *iterations = iter;
    }
    if (!ok) {
        *converged = 0;
    }
    free(z), free(g), free(d), free(r), free(q), free(s), free(wn);
    return status;
}

int svm_fit_linear(svm_model *model, const double *x, const int32_t *y, const double *weights, size_t n_rows,
    uint32_t n_features, uint32_t n_classes, const svm_params *params, svm_progress_fn progress,
    void *progress_context, int64_t *iterations, int *converged)
{
    memset(model, 0, sizeof *model);
    model->kind = SVM_KIND_LINEAR;
    model->n_features = n_features;
    model->n_classes = n_classes;
    model->n_models = n_classes == 2 ? 1 : n_classes;
    *iterations = 0;
    *converged = 1;
    model->w = calloc((size_t)model->n_models * (n_features + 1), sizeof(double));
    int8_t *sign = malloc(n_rows ? n_rows : 1);
    double *cost = malloc((n_rows ? n_rows : 1) * sizeof(double));
    if (model->w == NULL || sign == NULL || cost == NULL) {
        free(sign), free(cost), svm_free(model);
        return SVM_NO_MEMORY;
    }
    for (size_t i = 0; i < n_rows; i++) {
        cost[i] = params->C * (weights != NULL ? weights[i] : 1.0);
    }
    uint64_t rng = params->seed;
    int status = SVM_OK;
    for (uint32_t m = 0; m < model->n_models && status == SVM_OK; m++) {
        int32_t positive = model->n_models == 1 ? 1 : (int32_t)m;
        for (size_t i = 0; i < n_rows; i++) {
            sign[i] = y[i] == positive ? 1 : -1;
        }
        double share = 1.0 / model->n_models;
        double *w = model->w + (size_t)m * (n_features + 1);
        status = n_rows > n_features
            ? solve_primal(w, x, sign, cost, n_rows, n_features, params, progress, progress_context, share * m, share,
                  iterations, converged)
            : solve_binary(model->w + (size_t)m * (n_features + 1), x, sign, cost, n_rows, n_features, params,
            &rng, progress, progress_context, share * m, share, iterations, converged);
    }
    free(sign), free(cost);
    if (status != SVM_OK) {
        svm_free(model);
    }
    return status;
}

