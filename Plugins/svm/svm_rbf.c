/*
 * RBF-kernel C-SVC as libsvm (scikit-learn's SVC): for each pair of classes
 * (i, j), i < j, the dual problem
 *     min ½ αᵀQα − eᵀα,  0 ≤ α_t ≤ C·w_t,  yᵀα = 0,  Q_st = y_s y_t K(x_s, x_t)
 * over the rows of the two classes (class i is +1), solved by SMO with
 * libsvm's second-order working set selection (Fan, Chen and Lin, 2005),
 * with libsvm's shrinking (rows stuck at a bound leave the active set, whose
 * gradient alone is kept up to date and whose kernel rows alone are computed;
 * the whole gradient is rebuilt before the end is accepted), with libsvm's
 * LRU cache of kernel rows (at most ~200 MB, as SVC's cache_size; a circular
 * list, rows cached for the active part only). For many features and not too
 * many rows, kernel values are also kept across the sub-problems (see
 * svm_fit_rbf). Prediction votes one-vs-one.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svm_plugin.h"

#define TAU 1e-12
#define CACHE_BYTES (200u * 1024u * 1024u)
#define CHECK_EVERY 1000
/* The Gram matrix (see svm_fit_rbf) is kept for at most 4096 rows (64 MiB, a third of the cache) and for rows of at
 * least 64 features: with fewer, computing a value again costs less than the cache misses of storing it (measured:
 * 20 features, 4900 rows, 1.4 times slower with it; 105 features, 2154 rows, 9 classes, 1.35 times faster). */
#define GRAM_MAX_ROWS 4096u
#define GRAM_MIN_FEATURES 64u

/* One row's entry in libsvm's kernel cache: the first `len` values of row i of Q (the active part when it was
 * computed; 0: not cached), and its place in the circular LRU list. */
typedef struct cache_row {
    struct cache_row *prev, *next;
    float *data; /* floats, as libsvm's Qfloat */
    size_t len;
} cache_row;

/* One binary sub-problem. Every per-row array is permuted together by swap_index as shrinking moves rows in
 * and out of the active prefix [0, active). */
typedef struct problem {
    size_t l, active;
    uint32_t n;
    const double **x; /* row pointers */
    double *sq;       /* squared norms */
    int8_t *y;
    double *cost, *alpha, *g, *g_bar; /* g_bar: Σ over rows t at their upper bound of C_t·Q_st (libsvm's G_bar) */
    size_t *index;                    /* the row's position in the caller's arrays (libsvm's active_set) */
    double gamma;
    /* NULL, or K of every pair of training rows computed so far (n_rows × n_rows), shared by the sub-problems: the
     * float's bits plus one, 0 where not yet (calloc's zero pages cost nothing until written); row_id maps index to
     * training rows */
    uint32_t *gram;
    size_t n_rows;
    const size_t *row_id;
    cache_row *head; /* l entries */
    cache_row lru;   /* list sentinel: lru.next is the least recently used */
    size_t room;     /* floats the cache may still allocate */
} problem;

static void lru_delete(cache_row *h)
{
    h->prev->next = h->next;
    h->next->prev = h->prev;
}

static void lru_insert(problem *p, cache_row *h)
{
    h->next = &p->lru;
    h->prev = p->lru.prev;
    h->prev->next = h;
    h->next->prev = h;
}

static void cache_drop(problem *p, cache_row *h)
{
    lru_delete(h);
    free(h->data);
    p->room += h->len;
    h->data = NULL;
    h->len = 0;
}

/* −γ‖x_i − x_t‖², from the dot product with four independent sums: one sum is a chain of dependent additions
 * the compiler may not reorder (no -ffast-math), four let them overlap. */
static inline double exponent(const problem *p, size_t i, size_t t)
{
    const double *a = p->x[i], *b = p->x[t];
    const size_t n = p->n;
    double d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        d0 += a[j] * b[j];
        d1 += a[j + 1] * b[j + 1];
        d2 += a[j + 2] * b[j + 2];
        d3 += a[j + 3] * b[j + 3];
    }
    for (; j < n; j++) {
        d0 += a[j] * b[j];
    }
    double d = p->sq[i] + p->sq[t] - 2 * ((d0 + d1) + (d2 + d3));
    return -p->gamma * (d > 0 ? d : 0);
}

/* The kernel values y_i y_t K(x_i, x_t) for t in [from, to), a block at a time: the exponents, then their
 * exponentials in a loop of its own that the compiler can vectorise. With the Gram matrix, only the values not
 * yet in it are computed, and stored there both ways. Those taken from it are exactly those this would compute:
 * x_i·x_t and sq_i + sq_t are symmetric, and every sub-problem has the same rows and norms. */
static void fill_row(const problem *p, size_t i, float *row, size_t from, size_t to)
{
    enum { BLOCK = 256 };
    double arg[BLOCK];
    size_t todo[BLOCK];
    const int8_t *y = p->y;
    const int8_t y_i = y[i];
    for (size_t start = from; start < to; start += BLOCK) {
        size_t count = to - start < BLOCK ? to - start : BLOCK;
        if (p->gram == NULL) {
            for (size_t k = 0; k < count; k++) {
                arg[k] = exponent(p, i, start + k);
            }
            for (size_t k = 0; k < count; k++) {
                float v = (float)svm_exp_nonpositive(arg[k]);
                row[start + k] = y[start + k] == y_i ? v : -v; /* y_i y_t = ±1 */
            }
            continue;
        }
        const size_t id_i = p->row_id[p->index[i]];
        uint32_t *known = p->gram + id_i * p->n_rows;
        size_t n_todo = 0;
        for (size_t t = start; t < start + count; t++) {
            uint32_t bits = known[p->row_id[p->index[t]]];
            if (bits != 0) {
                bits--;
                float v;
                memcpy(&v, &bits, sizeof v);
                row[t] = y[t] == y_i ? v : -v;
            } else {
                todo[n_todo++] = t;
            }
        }
        for (size_t k = 0; k < n_todo; k++) {
            arg[k] = exponent(p, i, todo[k]);
        }
        for (size_t k = 0; k < n_todo; k++) {
            arg[k] = svm_exp_nonpositive(arg[k]);
        }
        for (size_t k = 0; k < n_todo; k++) {
            size_t t = todo[k], id_t = p->row_id[p->index[t]];
            float v = (float)arg[k];
            uint32_t bits;
            memcpy(&bits, &v, sizeof bits);
            row[t] = y[t] == y_i ? v : -v;
            known[id_t] = bits + 1;
            p->gram[id_t * p->n_rows + id_i] = bits + 1;
        }
    }
}

/* The first `len` values of row i of Q, from the cache (computing only what the cached prefix lacks) as
 * libsvm's Cache::get_data; NULL when out of memory. The budget always holds two full rows, so fetching row j
 * never evicts the row i fetched just before. */
static const float *q_row(problem *p, size_t i, size_t len)
{
    cache_row *h = &p->head[i];
    if (h->len > 0) {
        lru_delete(h);
    }
    size_t from = h->len;
    if (len > from) {
        size_t more = len - from;
        while (p->room < more) {
            cache_row *old = p->lru.next;
            cache_drop(p, old);
        }
        float *data = realloc(h->data, len * sizeof(float));
        if (data == NULL) {
            if (h->len > 0) {
                lru_insert(p, h);
            }
            return NULL;
        }
        p->room -= more;
        h->data = data;
        h->len = len;
        fill_row(p, i, data, from, len);
    }
    lru_insert(p, h);
    return h->data;
}

#define SWAP(type, a, b) do { type swap_tmp_ = (a); (a) = (b); (b) = swap_tmp_; } while (0)

/* Exchanges rows i < j everywhere, the cache included (libsvm's Solver::swap_index and Cache::swap_index): a
 * cached row holding both columns swaps them, one holding only column i is dropped. */
static void swap_index(problem *p, size_t i, size_t j)
{
    cache_row *hi = &p->head[i], *hj = &p->head[j];
    if (hi->len > 0) lru_delete(hi);
    if (hj->len > 0) lru_delete(hj);
    SWAP(float *, hi->data, hj->data);
    SWAP(size_t, hi->len, hj->len);
    if (hi->len > 0) lru_insert(p, hi);
    if (hj->len > 0) lru_insert(p, hj);
    for (cache_row *h = p->lru.next; h != &p->lru;) {
        cache_row *next = h->next;
        if (h->len > i) {
            if (h->len > j) {
                SWAP(float, h->data[i], h->data[j]);
            } else {
                cache_drop(p, h);
            }
        }
        h = next;
    }
    SWAP(const double *, p->x[i], p->x[j]);
    SWAP(double, p->sq[i], p->sq[j]);
    SWAP(int8_t, p->y[i], p->y[j]);
    SWAP(double, p->cost[i], p->cost[j]);
    SWAP(double, p->alpha[i], p->alpha[j]);
    SWAP(double, p->g[i], p->g[j]);
    SWAP(double, p->g_bar[i], p->g_bar[j]);
    SWAP(size_t, p->index[i], p->index[j]);
}

/* The gradient of the inactive rows from g_bar and the free rows (libsvm's reconstruct_gradient). */
static int reconstruct_gradient(problem *p)
{
    const size_t l = p->l, active = p->active;
    if (active == l) {
        return SVM_OK;
    }
    const double *alpha = p->alpha, *cost = p->cost;
    double *g = p->g;
    size_t n_free = 0;
    for (size_t t = active; t < l; t++) {
        g[t] = p->g_bar[t] - 1;
    }
    for (size_t t = 0; t < active; t++) {
        n_free += alpha[t] > 0 && alpha[t] < cost[t];
    }
    /* whichever needs fewer kernel values: the active part of each inactive row, or the whole of each free one */
    if (n_free * l > 2 * active * (l - active)) {
        for (size_t i = active; i < l; i++) {
            const float *qi = q_row(p, i, active);
            if (qi == NULL) {
                return SVM_NO_MEMORY;
            }
            for (size_t t = 0; t < active; t++) {
                if (alpha[t] > 0 && alpha[t] < cost[t]) {
                    g[i] += alpha[t] * qi[t];
                }
            }
        }
    } else {
        for (size_t i = 0; i < active; i++) {
            if (alpha[i] > 0 && alpha[i] < cost[i]) {
                const float *qi = q_row(p, i, l);
                if (qi == NULL) {
                    return SVM_NO_MEMORY;
                }
                for (size_t t = active; t < l; t++) {
                    g[t] += alpha[i] * qi[t];
                }
            }
        }
    }
    return SVM_OK;
}

static int be_shrunk(const problem *p, size_t t, double gmax1, double gmax2)
{
    if (p->alpha[t] >= p->cost[t]) {
        return p->y[t] == 1 ? -p->g[t] > gmax1 : -p->g[t] > gmax2;
    }
    if (p->alpha[t] <= 0) {
        return p->y[t] == 1 ? p->g[t] > gmax2 : p->g[t] > gmax1;
    }
    return 0;
}

/* libsvm's do_shrinking: moves rows stuck at a bound, whose gradient says they will stay there, out of the active
 * prefix; once the violation is within 10·eps, once, restores the whole set so the end is checked on all rows. */
static int do_shrinking(problem *p, double eps, int *unshrunk)
{
    double gmax1 = -INFINITY; /* max −y_t G_t over I_up */
    double gmax2 = -INFINITY; /* max y_t G_t over I_low */
    const double *alpha = p->alpha, *cost = p->cost, *g = p->g;
    for (size_t t = 0; t < p->active; t++) {
        if (p->y[t] == 1) {
            if (alpha[t] < cost[t] && -g[t] >= gmax1) gmax1 = -g[t];
            if (alpha[t] > 0 && g[t] >= gmax2) gmax2 = g[t];
        } else {
            if (alpha[t] < cost[t] && -g[t] >= gmax2) gmax2 = -g[t];
            if (alpha[t] > 0 && g[t] >= gmax1) gmax1 = g[t];
        }
    }
    if (!*unshrunk && gmax1 + gmax2 <= eps * 10) {
        *unshrunk = 1;
        int status = reconstruct_gradient(p);
        if (status != SVM_OK) {
            return status;
        }
        p->active = p->l;
    }
    for (size_t t = 0; t < p->active; t++) {
        if (!be_shrunk(p, t, gmax1, gmax2)) {
            continue;
        }
        p->active--;
        while (p->active > t) {
            if (!be_shrunk(p, p->active, gmax1, gmax2)) {
                swap_index(p, t, p->active);
                break;
            }
            p->active--;
        }
    }
    return SVM_OK;
}

/* The second-order working set over the active rows (WSS2); 1 when optimal within eps. */
static int select_working_set(problem *p, double eps, size_t *out_i, size_t *out_j, int *status)
{
    const size_t active = p->active;
    const int8_t *y = p->y;
    const double *alpha = p->alpha, *cost = p->cost, *g = p->g;
    /* select i: max over I_up of −y_t G_t */
    double gmax = -INFINITY;
    size_t i = SIZE_MAX;
    for (size_t t = 0; t < active; t++) {
        if (y[t] == 1) {
            if (alpha[t] < cost[t] && -g[t] >= gmax) {
                gmax = -g[t];
                i = t;
            }
        } else if (alpha[t] > 0 && g[t] >= gmax) {
            gmax = g[t];
            i = t;
        }
    }
    double gmax2 = -INFINITY, obj_min = INFINITY;
    size_t j = SIZE_MAX;
    if (i != SIZE_MAX) {
        const float *qi = q_row(p, i, active);
        if (qi == NULL) {
            *status = SVM_NO_MEMORY;
            return 1;
        }
        const double qd_i = 1; /* K(x, x) = 1 for the RBF kernel */
        const double y_i = y[i];
        for (size_t t = 0; t < active; t++) {
            if (y[t] == 1) {
                if (alpha[t] > 0) {
                    double diff = gmax + g[t];
                    if (g[t] >= gmax2) gmax2 = g[t];
                    if (diff > 0) {
                        double quad = qd_i + 1 - 2.0 * y_i * qi[t];
                        double obj = -(diff * diff) / (quad > 0 ? quad : TAU);
                        if (obj <= obj_min) {
                            j = t;
                            obj_min = obj;
                        }
                    }
                }
            } else if (alpha[t] < cost[t]) {
                double diff = gmax - g[t];
                if (-g[t] >= gmax2) gmax2 = -g[t];
                if (diff > 0) {
                    double quad = qd_i + 1 + 2.0 * y_i * qi[t];
                    double obj = -(diff * diff) / (quad > 0 ? quad : TAU);
                    if (obj <= obj_min) {
                        j = t;
                        obj_min = obj;
                    }
                }
            }
        }
    }
    if (i == SIZE_MAX || j == SIZE_MAX || gmax + gmax2 < eps) {
        return 1;
    }
    *out_i = i;
    *out_j = j;
    return 0;
}

/* Adds ±C·(row i of Q) to g_bar when row i reaches or leaves its upper bound. */
static int update_g_bar(problem *p, size_t i, int was_upper)
{
    int upper = p->alpha[i] >= p->cost[i];
    if (upper == was_upper) {
        return SVM_OK;
    }
    const float *qi = q_row(p, i, p->l);
    if (qi == NULL) {
        return SVM_NO_MEMORY;
    }
    double c = upper ? p->cost[i] : -p->cost[i];
    for (size_t t = 0; t < p->l; t++) {
        p->g_bar[t] += c * qi[t];
    }
    return SVM_OK;
}

/* Solves one binary problem of l rows given by x, sq, y, cost (not modified); alpha (l values) out, *rho out. */
static int solve(size_t l, uint32_t n, const double *const *x, const double *sq, const int8_t *y, const double *cost,
    double gamma, uint32_t *gram, size_t n_rows, const size_t *row_id, double *alpha_out, double *rho, int64_t max_iter,
    double eps, svm_progress_fn progress, void *ctx, double done, int64_t *iterations, int *converged)
{
    problem p = {.l = l, .active = l, .n = n, .gamma = gamma, .gram = gram, .n_rows = n_rows, .row_id = row_id};
    p.x = malloc(l * sizeof(double *));
    p.sq = malloc(l * sizeof(double));
    p.y = malloc(l);
    p.cost = malloc(l * sizeof(double));
    p.alpha = malloc(l * sizeof(double));
    p.g = malloc(l * sizeof(double));
    p.g_bar = malloc(l * sizeof(double));
    p.index = malloc(l * sizeof(size_t));
    p.head = calloc(l, sizeof(cache_row));
    p.lru.next = p.lru.prev = &p.lru;
    /* the budget as libsvm's Cache: cache_size less the row headers (and the Gram matrix, which the cache then only
     * speeds up), never under two full rows */
    size_t budget = CACHE_BYTES / sizeof(float), used = l * sizeof(cache_row) / sizeof(float);
    if (gram != NULL) {
        used += n_rows * n_rows;
    }
    p.room = budget > used ? budget - used : 0;
    if (p.room < 2 * l) p.room = 2 * l;
    int status = SVM_OK;
    if (p.x == NULL || p.sq == NULL || p.y == NULL || p.cost == NULL || p.alpha == NULL || p.g == NULL ||
        p.g_bar == NULL || p.index == NULL || p.head == NULL) {
        status = SVM_NO_MEMORY;
        goto done;
    }
    for (size_t t = 0; t < l; t++) {
        p.x[t] = x[t];
        p.sq[t] = sq[t];
        p.y[t] = y[t];
        p.cost[t] = cost[t];
        p.alpha[t] = 0;
        p.g[t] = -1;
        p.g_bar[t] = 0;
        p.index[t] = t;
    }
    int64_t iter = 0;
    int ok = 0, unshrunk = 0;
    size_t shrink_countdown = (l < 1000 ? l : 1000) + 1, check_countdown = 1;
    for (;;) {
        if (--check_countdown == 0) {
            check_countdown = CHECK_EVERY;
            if (progress != NULL && progress(ctx, done)) {
                status = SVM_CANCELLED;
                break;
            }
        }
        if (max_iter > 0 && iter >= max_iter) {
            break;
        }
        if (--shrink_countdown == 0) {
            shrink_countdown = l < 1000 ? l : 1000;
            status = do_shrinking(&p, eps, &unshrunk);
            if (status != SVM_OK) {
                break;
            }
        }
        size_t i = 0, j = 0;
        if (select_working_set(&p, eps, &i, &j, &status)) {
            if (status != SVM_OK) {
                break;
            }
            /* optimal on the active rows: check again on all of them */
            status = reconstruct_gradient(&p);
            if (status != SVM_OK) {
                break;
            }
            p.active = l;
            if (select_working_set(&p, eps, &i, &j, &status)) {
                ok = status == SVM_OK;
                break;
            }
            shrink_countdown = 1; /* shrink again on the next iteration */
        }
        iter++;
        const float *qi = q_row(&p, i, p.active);
        const float *qj = q_row(&p, j, p.active);
        if (qi == NULL || qj == NULL) {
            status = SVM_NO_MEMORY;
            break;
        }
        double *alpha = p.alpha;
        double ci = p.cost[i], cj = p.cost[j];
        double old_ai = alpha[i], old_aj = alpha[j];
        if (p.y[i] != p.y[j]) {
            double quad = 2 + 2 * qi[j];
            if (quad <= 0) quad = TAU;
            double delta = (-p.g[i] - p.g[j]) / quad;
            double diff = alpha[i] - alpha[j];
            alpha[i] += delta;
            alpha[j] += delta;
            if (diff > 0) {
                if (alpha[j] < 0) {
                    alpha[j] = 0;
                    alpha[i] = diff;
                }
            } else if (alpha[i] < 0) {
                alpha[i] = 0;
                alpha[j] = -diff;
            }
            if (diff > ci - cj) {
                if (alpha[i] > ci) {
                    alpha[i] = ci;
                    alpha[j] = ci - diff;
                }
            } else if (alpha[j] > cj) {
                alpha[j] = cj;
                alpha[i] = cj + diff;
            }
        } else {
            double quad = 2 - 2 * qi[j];
            if (quad <= 0) quad = TAU;
            double delta = (p.g[i] - p.g[j]) / quad;
            double sum = alpha[i] + alpha[j];
            alpha[i] -= delta;
            alpha[j] += delta;
            if (sum > ci) {
                if (alpha[i] > ci) {
                    alpha[i] = ci;
                    alpha[j] = sum - ci;
                }
            } else if (alpha[j] < 0) {
                alpha[j] = 0;
                alpha[i] = sum;
            }
            if (sum > cj) {
                if (alpha[j] > cj) {
                    alpha[j] = cj;
                    alpha[i] = sum - cj;
                }
            } else if (alpha[i] < 0) {
                alpha[i] = 0;
                alpha[j] = sum;
            }
        }
        double dai = alpha[i] - old_ai, daj = alpha[j] - old_aj;
        double *g = p.g;
        for (size_t t = 0; t < p.active; t++) {
            g[t] += qi[t] * dai + qj[t] * daj;
        }
        status = update_g_bar(&p, i, old_ai >= ci);
        if (status == SVM_OK) {
            status = update_g_bar(&p, j, old_aj >= cj);
        }
        if (status != SVM_OK) {
            break;
        }
    }
    if (status == SVM_OK && !ok) {
        /* stopped by max_iter, perhaps with rows shrunk away */
        status = reconstruct_gradient(&p);
        p.active = l;
    }
    if (status == SVM_OK) {
        /* rho as libsvm's calculate_rho */
        double ub = INFINITY, lb = -INFINITY, sum_free = 0;
        size_t n_free = 0;
        for (size_t t = 0; t < l; t++) {
            double yg = p.y[t] * p.g[t];
            if (p.alpha[t] >= p.cost[t]) {
                if (p.y[t] == -1) ub = fmin(ub, yg); else lb = fmax(lb, yg);
            } else if (p.alpha[t] <= 0) {
                if (p.y[t] == 1) ub = fmin(ub, yg); else lb = fmax(lb, yg);
            } else {
                n_free++;
                sum_free += yg;
            }
        }
        *rho = n_free > 0 ? sum_free / (double)n_free : (isfinite(ub) && isfinite(lb) ? (ub + lb) / 2 : 0);
        for (size_t t = 0; t < l; t++) {
            alpha_out[p.index[t]] = p.alpha[t];
        }
    }
    if (iter > *iterations) {
        *iterations = iter;
    }
    if (!ok) {
        *converged = 0;
    }
done:
    if (p.head != NULL) {
        for (size_t t = 0; t < l; t++) {
            free(p.head[t].data);
        }
    }
    free(p.x), free(p.sq), free(p.y), free(p.cost), free(p.alpha), free(p.g), free(p.g_bar), free(p.index);
    free(p.head);
    return status;
}

int svm_fit_rbf(svm_model *model, const double *x, const int32_t *y, const double *weights, size_t n_rows,
    uint32_t n_features, uint32_t n_classes, const svm_params *params, svm_progress_fn progress,
    void *progress_context, int64_t *iterations, int *converged)
{
    memset(model, 0, sizeof *model);
    model->kind = SVM_KIND_RBF;
    model->n_features = n_features;
    model->n_classes = n_classes;
    model->n_models = n_classes * (n_classes - 1) / 2;
    model->gamma = params->gamma;
    *iterations = 0;
    *converged = 1;
    const size_t pairs = model->n_models;
    size_t m = n_rows ? n_rows : 1;
    const double **rows = malloc(m * sizeof(double *));
    double *sq = malloc(m * sizeof(double));
    int8_t *sign = malloc(m);
    double *cost = malloc(m * sizeof(double));
    double *alpha = malloc(m * sizeof(double));
    size_t *member = malloc(m * sizeof(size_t));
    /* per training row of class c, its coefficient against each other class o, in slot o − (o > c): libsvm's
     * (n_classes − 1) × n_rows layout */
    const size_t slots = n_classes - 1;
    double *coef_rows = calloc(slots * m, sizeof(double));
    double *rho = calloc(pairs ? pairs : 1, sizeof(double));
    int status = SVM_OK;
    if (rows == NULL || sq == NULL || sign == NULL || cost == NULL || alpha == NULL || member == NULL ||
        coef_rows == NULL || rho == NULL) {
        status = SVM_NO_MEMORY;
    }
    /* With more than two classes a row is in several sub-problems and K(x_s, x_t) of two rows of one class is wanted
     * by each; and in every sub-problem, row t of Q wants K(x_t, x_s) again after row s. Keeping every value
     * computed saves both, where a value costs more to compute than to look up (without the memory, values are
     * computed as they are wanted, as before). */
    uint32_t *gram = NULL;
    if (status == SVM_OK && n_rows > 0 && n_rows <= GRAM_MAX_ROWS && n_features >= GRAM_MIN_FEATURES) {
        gram = calloc(n_rows * n_rows, sizeof(uint32_t));
    }
    size_t p_index = 0;
    for (uint32_t ci = 0; ci < n_classes && status == SVM_OK; ci++) {
        for (uint32_t cj = ci + 1; cj < n_classes && status == SVM_OK; cj++, p_index++) {
            size_t l = 0;
            for (size_t r = 0; r < n_rows; r++) {
                if (y[r] != (int32_t)ci && y[r] != (int32_t)cj) {
                    continue;
                }
                double c = params->C * (weights != NULL ? weights[r] : 1.0);
                if (c <= 0) {
                    continue;
                }
                const double *xr = x + r * n_features;
                double s = 0;
                for (uint32_t f = 0; f < n_features; f++) {
                    s += xr[f] * xr[f];
                }
                rows[l] = xr;
                sq[l] = s;
                sign[l] = y[r] == (int32_t)ci ? 1 : -1;
                cost[l] = c;
                member[l] = r;
                l++;
            }
            size_t positives = 0;
            for (size_t t = 0; t < l; t++) {
                positives += sign[t] == 1;
            }
            if (positives == 0 || positives == l) {
                /* a class without rows: the other one always wins the pair (both empty: class j) */
                rho[p_index] = positives > 0 ? -1.0 : 1.0;
                continue;
            }
            status = solve(l, n_features, rows, sq, sign, cost, params->gamma, gram, n_rows, member, alpha,
                &rho[p_index], params->max_iter, params->tol, progress, progress_context,
                pairs ? (double)p_index / (double)pairs : 0, iterations, converged);
            for (size_t t = 0; t < l; t++) {
                if (status == SVM_OK && alpha[t] > 0) {
                    uint32_t own = sign[t] == 1 ? ci : cj, other = sign[t] == 1 ? cj : ci;
                    size_t slot = other > own ? other - 1 : other;
                    coef_rows[slot * n_rows + member[t]] = alpha[t] * sign[t];
                }
            }
        }
    }
    if (status == SVM_OK) {
        /* the support vectors: rows with a coefficient in any pair */
        size_t n_sv = 0;
        for (size_t r = 0; r < n_rows; r++) {
            member[r] = SIZE_MAX;
            for (size_t q = 0; q < slots; q++) {
                if (coef_rows[q * n_rows + r] != 0) {
                    member[r] = n_sv++;
                    break;
                }
            }
        }
        model->n_sv = (uint32_t)n_sv;
        model->sv = malloc((n_sv ? n_sv : 1) * n_features * sizeof(double));
        model->coef = calloc(pairs * n_sv > 0 ? pairs * n_sv : 1, sizeof(double));
        model->rho = rho;
        rho = NULL;
        if (model->sv == NULL || model->coef == NULL) {
            status = SVM_NO_MEMORY;
        } else {
            for (size_t r = 0; r < n_rows; r++) {
                if (member[r] == SIZE_MAX) {
                    continue;
                }
                memcpy(model->sv + member[r] * n_features, x + r * n_features, n_features * sizeof(double));
                size_t q = 0;
                for (uint32_t i = 0; i < n_classes; i++) {
                    for (uint32_t j = i + 1; j < n_classes; j++, q++) {
                        if (y[r] == (int32_t)i) {
                            model->coef[q * n_sv + member[r]] = coef_rows[(j - 1) * n_rows + r];
                        } else if (y[r] == (int32_t)j) {
                            model->coef[q * n_sv + member[r]] = coef_rows[i * n_rows + r];
                        }
                    }
                }
            }
        }
    }
    free(rows), free(sq), free(sign), free(cost), free(alpha), free(member), free(coef_rows), free(rho), free(gram);
    if (status != SVM_OK) {
        svm_free(model);
    }
    return status;
}
