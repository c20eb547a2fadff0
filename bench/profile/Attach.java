import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a JVMTI agent into a running JVM: {@code java Attach.java PID LIBRARY OPTIONS}. bench/profile.sh
 * uses it to start and stop async-profiler in a warmed-up gateway (jcmd's JVMTI.agent_load would
 * split the profiler's {@code key=value} options as its own arguments).
 */
public class Attach {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
