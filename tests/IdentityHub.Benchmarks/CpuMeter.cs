using System.Diagnostics;
using System.Globalization;

namespace IdentityHub.Benchmarks;

/// <summary>CPU time used while a measure ran: this process (the hub and the load generator) and the whole machine.</summary>
internal readonly record struct CpuSample(long Timestamp, TimeSpan Process, long MachineBusy, long MachineTotal)
{
    public static CpuSample Now()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var (busy, total) = ReadProcStat();
        return new CpuSample(Stopwatch.GetTimestamp(), self.TotalProcessorTime, busy, total);
    }

    /// <summary>CPU milliseconds per operation from <paramref name="start"/> to now: this process, and the machine as a whole.</summary>
    public (double ProcessMs, double MachineMs) PerOperation(CpuSample start, double operations)
    {
        var wall = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalMilliseconds;
        var busyShare = MachineTotal > start.MachineTotal ? (MachineBusy - start.MachineBusy) / (double)(MachineTotal - start.MachineTotal) : 0;
        return ((Process - start.Process).TotalMilliseconds / operations, busyShare * Environment.ProcessorCount * wall / operations);
    }

    /// <summary>/proc/stat's first line: jiffies busy (all but idle and iowait) and in total; zeros where there is none.</summary>
    private static (long Busy, long Total) ReadProcStat()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Take(8).Sum();
            return (total - fields[3] - fields[4], total);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }
}
