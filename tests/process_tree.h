/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A program under test and its children, as /proc shows them: pppoe-mss
 * relays in a worker of its own (pppoe-mss-wire), so what "the relay" holds
 * and spends is spread over both.
 */
#ifndef PPPOE_MSS_TEST_PROCESS_TREE_H
#define PPPOE_MSS_TEST_PROCESS_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* pid's children (/proc/PID/task/PID/children): how many, at most capacity;
 * -1 when unreadable. */
int process_children(pid_t pid, pid_t *children, int capacity);

/* pid's child whose name (ps -o comm) is comm; -1: none. */
pid_t process_child_named(pid_t pid, const char *comm);

/* The value of the line of /proc/PID/status that starts with key
 * ("Seccomp:"), without the blanks after the key; false: no such line. */
bool process_status_value(pid_t pid, const char *key, char *value, size_t len);

/* Whether pid has ended: no such process, or a zombie not yet reaped. */
bool process_ended(pid_t pid);

/* pid followed by its children, at most capacity in all: how many. */
int process_and_children(pid_t pid, pid_t *pids, int capacity);

#endif
