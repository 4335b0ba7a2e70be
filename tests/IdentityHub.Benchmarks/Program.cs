using IdentityHub.Benchmarks;

return await BenchmarkRunner.RunAsync(args);
