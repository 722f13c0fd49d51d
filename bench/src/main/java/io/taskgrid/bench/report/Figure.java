package io.taskgrid.bench.report;

/**
 * One measured figure: TaskGrid's value, the baselines' where they ran the same workload, and the
 * target it is held to.
 *
 * @param name what was measured
 * @param unit its unit
 * @param taskgrid TaskGrid's value
 * @param durable {@code DurableExecutorService}'s value, or null
 * @param executor {@code IExecutorService}'s value, or null
 * @param target the target in words, or null
 * @param met whether TaskGrid met it, or null when there is none
 */
public record Figure(String name, String unit, Double taskgrid, Double durable, Double executor, String target,
    Boolean met) {

  public static Figure of(String name, String unit, double taskgrid) {
    return new Figure(name, unit, taskgrid, null, null, null, null);
  }

  public Figure versus(Double durable, Double executor) {
    return new Figure(name, unit, taskgrid, durable, executor, target, met);
  }

  public Figure target(String text, boolean isMet) {
    return new Figure(name, unit, taskgrid, durable, executor, text, isMet);
  }
}
