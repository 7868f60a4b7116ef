// Program.cs -- the image tool's command line, run by iso/Image.targets (and by hand when debugging the image).
using Vmk.ImageBuilder;
using VisorFs;

const string Usage = """
    ImageBuilder bootbank --source DIR --out DIR [--kernel-name NAME] [--kernelopt TEXT]
        Builds DIR/boot.cfg and every module it lists (s.v00, NAME.v00, state.tgz) from the source folder.
    ImageBuilder iso --kernel FILE --bootbank DIR --template FILE --stage DIR --out FILE [--module FILE]... [--state FILE]
        Stages the kernel, the boot bank's modules (plus extra modules and a state.tgz) and boot.cfg under boot/,
        generates boot/grub/grub.cfg from boot.cfg and runs grub-mkrescue.
    ImageBuilder disk --kernel FILE --bootbank DIR --grub-config FILE --work DIR --out FILE
        Builds the installed layout (Disk/DiskImage.cs): GPT, BIOS boot + ESP with GRUB for BIOS and UEFI, two FAT
        boot banks holding the kernel, the modules, boot.cfg and boot.grub, and a scratch volume.
    """;

try
{
    if (args.Length == 0 || args[0] is "-h" or "--help")
    {
        Console.WriteLine(Usage);
        return args.Length == 0 ? 1 : 0;
    }
    var options = Options.Parse(args.AsSpan(1));
    switch (args[0])
    {
        case "bootbank":
            BootBank.Build(options.Single("--source"), options.Single("--out"), options.Single("--kernel-name", "kernel.elf"),
                options.Single("--kernelopt", ""), Console.Out);
            return 0;
        case "iso":
            string bank = options.Single("--bootbank");
            var config = BootBank.ReadConfig(Path.Combine(bank, BootModules.BootConfigName));
            string kernel = options.Single("--kernel");
            var modules = BootModules.Compose(config, bank, options.All("--module"), options.SingleOrNull("--state"), Path.GetFileName(kernel));
            IsoImage.Build(new IsoImage.Request(kernel, BootConfigWriter.From(config), modules, options.Single("--template"),
                options.Single("--stage"), options.Single("--out")), Console.Out);
            return 0;
        case "disk":
            Vmk.ImageBuilder.Disk.DiskImage.Build(new Vmk.ImageBuilder.Disk.DiskImage.Request(options.Single("--kernel"),
                options.Single("--bootbank"), options.Single("--grub-config"), options.Single("--work"), options.Single("--out")), Console.Out);
            return 0;
        default:
            throw new ImageBuildException($"unknown command '{args[0]}'\n{Usage}");
    }
}
catch (ImageBuildException e)
{
    Console.Error.WriteLine($"ImageBuilder: error: {e.Message}");
    return 1;
}

/// <summary>--name value pairs; names may repeat.</summary>
internal sealed class Options
{
    private readonly List<(string Name, string Value)> _pairs = [];

    public static Options Parse(ReadOnlySpan<string> args)
    {
        var options = new Options();
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ImageBuildException($"expected '--option value', got '{args[i]}'");
            }
            options._pairs.Add((args[i], args[i + 1]));
        }
        return options;
    }

    public IReadOnlyList<string> All(string name) => _pairs.Where(p => p.Name == name).Select(p => p.Value).ToList();

    public string? SingleOrNull(string name) => All(name) switch
    {
        [] => null,
        [var one] => one,
        _ => throw new ImageBuildException($"{name} given more than once"),
    };

    public string Single(string name, string? fallback = null) =>
        SingleOrNull(name) ?? fallback ?? throw new ImageBuildException($"{name} is required");
}
