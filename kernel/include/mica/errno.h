/*
 * errno.h - kernel error codes.
 *
 * Kernel functions return 0 or a positive result on success and a negative
 * error code on failure.  The numbers match Linux's so that the Linux
 * personality can pass them through unchanged.
 */
#ifndef MICA_ERRNO_H
#define MICA_ERRNO_H

#define EPERM     1   /* operation not permitted */
#define ENOENT    2   /* no such object */
#define EINTR     4   /* the wait was interrupted (the thread is being killed) */
#define EIO       5   /* input/output error */
#define E2BIG     7   /* argument too large */
#define EBADF     9   /* bad handle */
#define EAGAIN    11  /* try again */
#define ENOMEM    12  /* out of memory */
#define EACCES    13  /* permission denied */
#define EFAULT    14  /* bad address */
#define EBUSY     16  /* resource busy */
#define EEXIST    17  /* already exists */
#define ENODEV    19  /* no such device */
#define EINVAL    22  /* invalid argument */
#define ENOSPC    28  /* no space left */
#define EPIPE     32  /* the other side of an IPC went away */
#define ERANGE    34  /* result out of range */
#define ENOSYS    38  /* not implemented */
#define ETIMEDOUT 110 /* timed out */

#endif
