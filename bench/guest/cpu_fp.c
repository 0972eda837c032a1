/* cpu_fp: double-precision workloads: matmul (200x200 matrices, 4 times)
 * and nbody (the five-planet simulation, 300,000 steps). */
#include <math.h>

#include "workload.h"

static double matmul(void)
{
    enum { N = 200 };
    static double a[N][N], b[N][N], c[N][N];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            a[i][j] = (i * 7 + j) % 13 * 0.25, b[i][j] = (i + j * 3) % 11 * 0.5;
    for (int rep = 0; rep < 4; rep++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < N; k++)
                    s += a[i][k] * b[k][j];
                c[i][j] = s;
            }
        a[rep][rep] += c[N - 1 - rep][rep] * 1e-6;
    }
    double sum = 0;
    for (int i = 0; i < N; i++)
        sum += c[i][i];
    return sum;
}

struct body {
    double x, y, z, vx, vy, vz, mass;
};

static double energy(const struct body *b, int n)
{
    double e = 0;
    for (int i = 0; i < n; i++) {
        e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < n; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            e -= b[i].mass * b[j].mass / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static double nbody(void)
{
    const double pi = 3.141592653589793, solar = 4 * pi * pi, days = 365.24;
    struct body b[5] = {
        {0, 0, 0, 0, 0, 0, solar},
        {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
         1.66007664274403694e-03 * days, 7.69901118419740425e-03 * days,
         -6.90460016972063023e-05 * days, 9.54791938424326609e-04 * solar},
        {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
         -2.76742510726862411e-03 * days, 4.99852801234917238e-03 * days,
         2.30417297573763929e-05 * days, 2.85885980666130812e-04 * solar},
        {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
         2.96460137564761618e-03 * days, 2.37847173959480950e-03 * days,
         -2.96589568540237556e-05 * days, 4.36624404335156298e-05 * solar},
        {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
         2.68067772490389322e-03 * days, 1.62824170038242295e-03 * days,
         -9.51592254519715870e-05 * days, 5.15138902046611451e-05 * solar},
    };
    for (int step = 0; step < 300000; step++) {
        for (int i = 0; i < 5; i++)
            for (int j = i + 1; j < 5; j++) {
                double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
                double d2 = dx * dx + dy * dy + dz * dz;
                double mag = 0.01 / (d2 * sqrt(d2));
                b[i].vx -= dx * b[j].mass * mag, b[j].vx += dx * b[i].mass * mag;
                b[i].vy -= dy * b[j].mass * mag, b[j].vy += dy * b[i].mass * mag;
                b[i].vz -= dz * b[j].mass * mag, b[j].vz += dz * b[i].mass * mag;
            }
        for (int i = 0; i < 5; i++)
            b[i].x += 0.01 * b[i].vx, b[i].y += 0.01 * b[i].vy, b[i].z += 0.01 * b[i].vz;
    }
    return energy(b, 5);
}

/* The checksum of an FP result is its bit pattern. */
static uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof(u));
    return u;
}

static uint64_t matmul_bits(void)
{
    return bits(matmul());
}

static uint64_t nbody_bits(void)
{
    return bits(nbody());
}

WORKLOAD_MAIN("cpu_fp", {"matmul", matmul_bits}, {"nbody", nbody_bits})
