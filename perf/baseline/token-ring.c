/*
 * The machine's own floor for `ringmaster-bench throughput --nodes 3 --senders 1 --rate 1000`:
 * three processes pass a token round a UDP ring on loopback as fast as it goes, waiting like the
 * bench's default backoff idle strategy (20 spins, 50 yields, then sleeps of 1..50 us, doubling);
 * node 1 sends a 1 KiB message to the two others (two sendto calls) when the token visits and a
 * 1 ms slot is due, or, with THREADED=1, whatever a separate sender thread queued at its slots.
 * Each node prints the p50/p99/p999 of slot-to-receipt latency. No JVM, no crypto, no protocol:
 * what is left is the machine's scheduling. Build and run: see run.sh.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 200000
#define SLOT_NS 1000000ULL

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Single producer (sender thread), single consumer (ring loop). */
static uint64_t queue[1 << 16];
static uint64_t queue_head, queue_tail;
static uint64_t window_start, window_end;

static void *sender(void *unused)
{
    (void)unused;
    for (uint64_t slot = window_start; slot < window_end; slot += SLOT_NS)
    {
        const struct timespec at = { (time_t)(slot / 1000000000ULL), (long)(slot % 1000000000ULL) };
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL);
        queue[queue_tail & 0xffff] = now_ns();
        __atomic_store_n(&queue_tail, queue_tail + 1, __ATOMIC_RELEASE);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 5)
    {
        fprintf(stderr, "usage: token-ring NODE(1-3) BASE_PORT SECONDS START_MONOTONIC_NS\n");
        return 2;
    }
    const int id = atoi(argv[1]), base = atoi(argv[2]);
    window_start = strtoull(argv[4], NULL, 10);
    window_end = window_start + (uint64_t)(atof(argv[3]) * 1e9);
    const int threaded = getenv("THREADED") != NULL;

    const int s = socket(AF_INET, SOCK_DGRAM, 0);
    fcntl(s, F_SETFL, O_NONBLOCK);
    struct sockaddr_in peer[4];
    for (int i = 1; i <= 3; i++)
    {
        memset(&peer[i], 0, sizeof peer[i]);
        peer[i].sin_family = AF_INET;
        peer[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        peer[i].sin_port = htons(base + i);
    }
    if (bind(s, (struct sockaddr *)&peer[id], sizeof peer[id]) != 0)
    {
        perror("bind");
        return 1;
    }
    const int next = id % 3 + 1;
    static uint64_t latency[MAX_SAMPLES];
    int samples = 0;
    char buf[1100];
    uint64_t slot = window_start;

    pthread_t thread;
    if (id == 1 && threaded)
    {
        pthread_create(&thread, NULL, sender, NULL);
    }
    if (id == 1)
    {
        while (now_ns() < window_start)
        {
        }
        buf[0] = 'T';
        sendto(s, buf, 64, 0, (struct sockaddr *)&peer[next], sizeof peer[next]);
    }
    int spun = 0;
    long park_ns = 1000;
    while (now_ns() < window_end + 200000000ULL)
    {
        const ssize_t n = recv(s, buf, sizeof buf, 0);
        if (n > 0)
        {
            spun = 0;
            park_ns = 1000;
            if (buf[0] == 'M')
            {
                uint64_t sent;
                memcpy(&sent, buf + 8, 8);
                if (samples < MAX_SAMPLES)
                {
                    latency[samples++] = now_ns() - sent;
                }
                continue;
            }
            if (id == 1)
            {
                /* The token is here: send what is due (the ring's own delivery counts as a receipt). */
                for (;;)
                {
                    uint64_t stamp;
                    if (threaded)
                    {
                        if (queue_head == __atomic_load_n(&queue_tail, __ATOMIC_ACQUIRE))
                        {
                            break;
                        }
                        stamp = queue[queue_head++ & 0xffff];
                    }
                    else
                    {
                        if (slot > now_ns() || slot >= window_end)
                        {
                            break;
                        }
                        stamp = slot;
                        slot += SLOT_NS;
                    }
                    buf[0] = 'M';
                    memcpy(buf + 8, &stamp, 8);
                    sendto(s, buf, 1024, 0, (struct sockaddr *)&peer[2], sizeof peer[2]);
                    sendto(s, buf, 1024, 0, (struct sockaddr *)&peer[3], sizeof peer[3]);
                    if (samples < MAX_SAMPLES)
                    {
                        latency[samples++] = now_ns() - stamp;
                    }
                }
            }
            buf[0] = 'T';
            sendto(s, buf, 64, 0, (struct sockaddr *)&peer[next], sizeof peer[next]);
            continue;
        }
        if (spun < 20)
        {
            spun++;
            __builtin_ia32_pause();
        }
        else if (spun < 70)
        {
            spun++;
            sched_yield();
        }
        else
        {
            const struct timespec pause = { 0, park_ns };
            nanosleep(&pause, NULL);
            park_ns = park_ns * 2 > 50000 ? 50000 : park_ns * 2;
        }
    }
    qsort(latency, samples, sizeof latency[0], by_value);
    if (samples > 0)
    {
        printf("{\"baseline\":\"token-ring\",\"node\":%d,\"messages\":%d,\"p50_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f}\n",
            id, samples, latency[samples / 2] / 1e3, latency[(long)samples * 99 / 100] / 1e3,
            latency[(long)samples * 999 / 1000] / 1e3);
    }
    return 0;
}
