/*
 * The Linux baseline of the shootdown benchmark (the paper's Figure 7 compares unmap against it):
 * the latency of mprotect() dropping write permission on a page that N threads keep touching, so
 * that the kernel must shoot down the TLB entry on every CPU running one of them.
 *
 * usage: mprotect-bench THREADS ITERATIONS
 * prints: one line "threads=N median_ns=M p90_ns=P" (the bench parses it).
 *
 * The touching threads run only while the measurement runs and read the page with a pause between
 * reads; the machine is shared, so they yield after every few thousand reads.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static volatile int stop = 0;
static volatile uint64_t *page;

static void *toucher(void *arg) {
  (void)arg;
  uint64_t sum = 0;
  for (unsigned i = 0; !stop; i++) {
    sum += page[0];
    if ((i & 4095) == 0) sched_yield();
  }
  return (void *)(uintptr_t)sum;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s THREADS ITERATIONS\n", argv[0]);
    return 2;
  }
  int threads = atoi(argv[1]);
  int iters = atoi(argv[2]);
  if (threads < 0 || threads > 256 || iters < 1 || iters > 1000000) {
    fprintf(stderr, "THREADS must be 0..256 and ITERATIONS 1..1000000\n");
    return 2;
  }
  long pagesize = sysconf(_SC_PAGESIZE);
  page = mmap(NULL, (size_t)pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  page[0] = 1;
  pthread_t *tids = calloc((size_t)threads + 1, sizeof(pthread_t));
  for (int t = 0; t < threads; t++) {
    if (pthread_create(&tids[t], NULL, toucher, NULL) != 0) {
      perror("pthread_create");
      return 1;
    }
  }
  uint64_t *samples = calloc((size_t)iters, sizeof(uint64_t));
  for (int i = 0; i < iters; i++) {
    /* Restore write access and touch the page, so the next downgrade has a TLB entry to kill. */
    mprotect((void *)page, (size_t)pagesize, PROT_READ | PROT_WRITE);
    page[0] = (uint64_t)i;
    uint64_t t0 = now_ns();
    if (mprotect((void *)page, (size_t)pagesize, PROT_READ) != 0) {
      perror("mprotect");
      return 1;
    }
    samples[i] = now_ns() - t0;
  }
  stop = 1;
  for (int t = 0; t < threads; t++) pthread_join(tids[t], NULL);
  qsort(samples, (size_t)iters, sizeof(uint64_t), cmp);
  printf("threads=%d median_ns=%llu p90_ns=%llu\n", threads, (unsigned long long)samples[iters / 2],
         (unsigned long long)samples[(iters * 9) / 10]);
  return 0;
}
