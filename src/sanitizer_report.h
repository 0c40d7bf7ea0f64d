/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * In a build with ASan or UBSan, the sanitizer opens its report file (the
 * log_path of ASAN_OPTIONS) only when it first has something to say -- too
 * late in a process that may no longer open files (confinement.h), and the
 * report would be lost.  This opens it now.  In other builds: nothing.
 */
#ifndef PPPOE_MSS_SANITIZER_REPORT_H
#define PPPOE_MSS_SANITIZER_REPORT_H

void sanitizer_report_open_now(void);

#endif
