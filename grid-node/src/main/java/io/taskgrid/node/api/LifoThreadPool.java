package io.taskgrid.node.api;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads that serve HTTP requests, each request handed to the thread that went idle most
 * recently. Tomcat's own pool wakes its idle threads in turn, the longest idle first: once a burst
 * has grown it to fifty threads a node, every request runs on a thread whose stack and caches have
 * gone cold, and that pool never shrinks, since each thread gets a request every few hundred
 * milliseconds. Here the few threads that a rate needs serve it, hot, and the rest stay parked
 * until they time out. Threads are started as requests need them, up to a maximum; beyond it,
 * requests wait in a backlog that the next free thread takes first.
 */
final class LifoThreadPool implements Executor, AutoCloseable {
  private final String namePrefix;
  private final int maxThreads;
  private final long keepAliveNanos;

  // Guarded by lock: the idle workers (the most recently idle last: a stack), the requests no
  // thread could take yet, how many threads are alive, and whether the pool is closed.
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Worker> idle = new ArrayDeque<>();
  private final ArrayDeque<Runnable> backlog = new ArrayDeque<>();
  private int threads;
  private int started;
  // Written under lock; volatile so that an idle worker, woken by close(), sees it without the lock.
  private volatile boolean closed;

  LifoThreadPool(String namePrefix, int maxThreads, long keepAlive, TimeUnit unit) {
    if (maxThreads < 1) {
      throw new IllegalArgumentException("maxThreads must be at least 1, not " + maxThreads);
    }
    this.namePrefix = namePrefix;
    this.maxThreads = maxThreads;
    this.keepAliveNanos = unit.toNanos(keepAlive);
  }

  @Override
  public void execute(Runnable task) {
    Worker woken;
    Worker fresh = null;
    lock.lock();
    try {
      if (closed) {
        throw new RejectedExecutionException("the request threads are shut down");
      }
      woken = idle.pollLast();
      if (woken != null) {
        woken.next = task;
      } else if (threads < maxThreads) {
        threads++;
        fresh = new Worker(task, namePrefix + ++started);
      } else {
        backlog.addLast(task);
      }
    } finally {
      lock.unlock();
    }
    if (woken != null) {
      LockSupport.unpark(woken.thread);
    } else if (fresh != null) {
      try {
        fresh.thread.start();
      } catch (OutOfMemoryError e) {
        lock.lock();
        try {
          threads--;
        } finally {
          lock.unlock();
        }
        throw new RejectedExecutionException("could not start a request thread: " + e.getMessage(), e);
      }
    }
  }

  /** Threads alive, busy or idle. */
  int threads() {
    lock.lock();
    try {
      return threads;
    } finally {
      lock.unlock();
    }
  }

  /** Threads waiting for a request. */
  int idle() {
    lock.lock();
    try {
      return idle.size();
    } finally {
      lock.unlock();
    }
  }

  /** Lets the idle threads end, and each busy one once the backlog is done; takes no more requests. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      idle.forEach(worker -> LockSupport.unpark(worker.thread));
    } finally {
      lock.unlock();
    }
  }

  /** One thread: runs its first request, then whatever it is handed, until idle for the keep-alive. */
  private final class Worker implements Runnable {
    final Thread thread;
    private Runnable first;
    // Handed over by execute() while this worker is on the idle stack, read by the worker once
    // unparked: volatile, so that a woken worker reads it without taking the pool's lock.
    volatile Runnable next;

    Worker(Runnable first, String name) {
      this.first = first;
      this.thread = new Thread(this, name);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      Runnable task = first;
      first = null;
      while (task != null) {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          // Tomcat handles its requests' failures itself; anything that escapes is reported and
          // this thread goes on serving.
          thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
        }
        task = nextTask();
      }
    }

    /** The backlog's oldest request, else the next one handed over; null when this thread should end. */
    private Runnable nextTask() {
      lock.lock();
      try {
        Runnable queued = backlog.pollFirst();
        if (queued != null) {
          return queued;
        }
        if (closed) {
          threads--;
          return null;
        }
        next = null;
        idle.addLast(this);
      } finally {
        lock.unlock();
      }
      long deadline = System.nanoTime() + keepAliveNanos;
      while (true) {
        Runnable handed = next;
        if (handed != null) {
          return handed;
        }
        long left = deadline - System.nanoTime();
        if (left > 0 && !closed) {
          LockSupport.parkNanos(this, left);
          continue;
        }
        // Timed out or closed: end, unless handed a request meanwhile, which is then served.
        lock.lock();
        try {
          if (next != null) {
            return next;
          }
          idle.remove(this);
          threads--;
          return null;
        } finally {
          lock.unlock();
        }
      }
    }
  }
}
