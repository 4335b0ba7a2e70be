using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace IdentityHub.Benchmarks;

/// <summary>
/// Where a request's time goes inside the hub, from what the hub emits anyway: ASP.NET Core's request activity (its
/// duration, labelled with method, path and query from the hosting diagnostic event), Npgsql's command activities
/// (count, duration and SQL, attributed to the request they ran in), the hub's own spans (sources "IdentityHub.*",
/// e.g. signing.gate) and the authentication meter's Argon2id counter. Only switched on for the profile pass, never
/// while the figures are measured.
/// </summary>
internal sealed class RequestProfile : IDisposable, IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private const string RequestActivity = "Microsoft.AspNetCore.Hosting.HttpRequestIn";
    private const string TallyProperty = "bench.tally";

    private readonly ActivityListener _commands;
    private readonly MeterListener _meter = new();
    private readonly List<IDisposable> _subscriptions = [];
    private readonly ConcurrentDictionary<string, RequestTotals> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CommandTotals> _statements = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CommandTotals> _spans = new(StringComparer.Ordinal);
    private readonly Func<HttpRequest, string> _label;
    private long _argon2;

    /// <param name="label">Names a request (default: method, path and query); requests with one name are tallied together.</param>
    public RequestProfile(Func<HttpRequest, string>? label = null)
    {
        _label = label ?? (request => $"{request.Method} {request.Path}{request.QueryString}");
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        _commands = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql" || source.Name.StartsWith("IdentityHub.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = CommandStopped,
        };
        ActivitySource.AddActivityListener(_commands);
        _meter.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "identityhub.authentication.password.verifications")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meter.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _argon2, value));
        _meter.Start();
    }

    public long Argon2Verifications => Interlocked.Read(ref _argon2);

    /// <summary>Per request label: how many, total server time, SQL commands and their time.</summary>
    public IReadOnlyDictionary<string, RequestTotals> Requests => _requests;

    /// <summary>Per SQL statement (first 90 characters, whitespace folded): how many and their time.</summary>
    public IReadOnlyDictionary<string, CommandTotals> Statements => _statements;

    /// <summary>Per span of the hub's own sources (e.g. signing.gate, saml.answer.sign-assertion): how many and their time.</summary>
    public IReadOnlyDictionary<string, CommandTotals> Spans => _spans;

    public double ServerMs => _requests.Values.Sum(r => r.ServerMs);

    public double CommandMs => _requests.Values.Sum(r => r.CommandMs);

    /// <summary>Mean milliseconds of the statements that start with <paramref name="prefix"/>; 0 when none ran.</summary>
    public double StatementMs(string prefix)
    {
        var matching = _statements.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(s => s.Value).ToList();
        var count = matching.Sum(s => s.Count);
        return count == 0 ? 0 : matching.Sum(s => s.Ms) / count;
    }

    public void Dispose()
    {
        _commands.Dispose();
        _meter.Dispose();
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener value)
    {
        if (value.Name == "Microsoft.AspNetCore")
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this, name => name.StartsWith(RequestActivity, StringComparison.Ordinal)));
            }
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (Activity.Current is not { OperationName: RequestActivity } activity || value.Value is not HttpContext http)
        {
            return;
        }

        if (value.Key == RequestActivity + ".Start")
        {
            activity.SetCustomProperty(TallyProperty, new Tally(_label(http.Request)));
        }
        else if (value.Key == RequestActivity + ".Stop" && activity.GetCustomProperty(TallyProperty) is Tally tally)
        {
            var totals = _requests.GetOrAdd(tally.Label, _ => new RequestTotals());
            lock (totals)
            {
                totals.Count++;
                totals.ServerMs += activity.Duration.TotalMilliseconds;
                totals.Commands += tally.Commands;
                totals.CommandMs += tally.CommandMs;
            }
        }
    }

    private void CommandStopped(Activity command)
    {
        if (command.Source.Name != "Npgsql")
        {
            var span = _spans.GetOrAdd(command.OperationName, _ => new CommandTotals());
            lock (span)
            {
                span.Count++;
                span.Ms += command.Duration.TotalMilliseconds;
            }

            return;
        }

        var request = command.Parent;
        while (request is not null && request.OperationName != RequestActivity)
        {
            request = request.Parent;
        }

        if (request?.GetCustomProperty(TallyProperty) is not Tally tally)
        {
            return;
        }

        var ms = command.Duration.TotalMilliseconds;
        lock (tally)
        {
            tally.Commands++;
            tally.CommandMs += ms;
        }

        var text = string.Join(' ', (command.GetTagItem("db.query.text") as string ?? command.DisplayName).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var statement = _statements.GetOrAdd(text.Length > 90 ? text[..90] : text, _ => new CommandTotals());
        lock (statement)
        {
            statement.Count++;
            statement.Ms += ms;
        }
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }

    /// <summary>Prints the requests of <paramref name="logins"/> logins (or other <paramref name="unit"/>s), the hub's spans and the statements run most often per unit.</summary>
    public void Print(int logins, int topStatements, string unit = "login")
    {
        foreach (var (label, totals) in _requests.OrderBy(r => r.Value.First))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {label,-44} {totals.Count / (double)logins,4:0.0} per {unit}   server {totals.ServerMs / totals.Count,6:0.00} ms   SQL {totals.Commands / (double)totals.Count,5:0.0} commands {totals.CommandMs / totals.Count,6:0.00} ms"));
        }

        var server = _requests.Values.Sum(r => r.ServerMs);
        var commands = _requests.Values.Sum(r => r.Commands);
        var commandMs = _requests.Values.Sum(r => r.CommandMs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {"per " + unit,-44} {_requests.Values.Sum(r => r.Count) / (double)logins,4:0.0} requests    server {server / logins,6:0.00} ms   SQL {commands / (double)logins,5:0.0} commands {commandMs / logins,6:0.00} ms; Argon2id verifications {Argon2Verifications / (double)logins:0.00}"));
        if (!_spans.IsEmpty)
        {
            Console.WriteLine($"  the hub's spans per {unit} (nested spans are inside their parents):");
            foreach (var (name, totals) in _spans.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {totals.Count / (double)logins,4:0.0} x {totals.Ms / totals.Count,7:0.00} ms  {name}"));
            }
        }

        Console.WriteLine($"  SQL run most often per {unit}:");
        foreach (var (text, totals) in _statements.OrderByDescending(s => s.Value.Count).Take(topStatements))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {totals.Count / (double)logins,4:0.0} x {totals.Ms / totals.Count,5:0.00} ms  {text}"));
        }
    }

    private sealed class Tally(string label)
    {
        public string Label { get; } = label;

        public int Commands { get; set; }

        public double CommandMs { get; set; }
    }
}

internal sealed class RequestTotals
{
    private static long _order;

    /// <summary>Order of first appearance, so requests print in the order a login makes them.</summary>
    public long First { get; } = Interlocked.Increment(ref _order);

    public int Count { get; set; }

    public double ServerMs { get; set; }

    public int Commands { get; set; }

    public double CommandMs { get; set; }
}

internal sealed class CommandTotals
{
    public int Count { get; set; }

    public double Ms { get; set; }
}
