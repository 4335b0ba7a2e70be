using IdentityHub.Cli;

return await HubCtl.RunAsync(args);
