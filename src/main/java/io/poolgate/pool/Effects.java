package io.poolgate.pool;

import java.util.ArrayList;
import org.jboss.logging.Logger;

/**
 * Side effects decided under the pool's lock and run after it is released: connector I/O,
 * completing borrowers' futures, log lines. Nothing a borrower's callback does can then run
 * while the pool's state is half changed.
 */
final class Effects {

    private static final Logger LOG = Logger.getLogger(Effects.class);

    private ArrayList<Runnable> tasks;

    void add(Runnable task) {
        if (tasks == null) {
            tasks = new ArrayList<>(4);
        }
        tasks.add(task);
    }

    void run() {
        if (tasks == null) {
            return;
        }
        for (Runnable task : tasks) {
            try {
                task.run();
            } catch (RuntimeException e) {
                // one failing effect must not stop the others (a connect must still start)
                LOG.error("pool side effect failed", e);
            }
        }
    }
}
