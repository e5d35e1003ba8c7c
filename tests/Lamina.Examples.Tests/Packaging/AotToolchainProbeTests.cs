using System.Runtime.InteropServices;
using Lamina.Aws.Packaging;

namespace Lamina.Examples.Tests.Packaging;

public class AotToolchainProbeTests
{
    private static AotToolchainProbe Machine(Architecture host, string[] onPath, string[]? files = null, Dictionary<string, string>? env = null, bool linux = true) =>
        new(host, linux, p => onPath.Contains(p) ? "/usr/bin/" + p : null, p => (files ?? []).Contains(p), v => env?.GetValueOrDefault(v));

    [Fact]
    public void Arm64_on_an_x64_machine_without_a_cross_toolchain_is_not_available_and_says_what_to_install()
    {
        // This machine's situation: gcc and clang-14 for x64, nothing for aarch64.
        var probe = Machine(Architecture.X64, ["gcc", "clang-14", "objcopy"]);
        var arm = probe.Probe("linux-arm64");
        Assert.False(arm.Available);
        Assert.Contains("a cross toolchain for linux-arm64", arm.Description);
        Assert.Contains("a aarch64-linux-gnu sysroot (set LAMINA_SYSROOT_ARM64", arm.Description);
        Assert.Contains("a linker for aarch64-linux-gnu", arm.Description);
        Assert.Contains("apt-get install clang binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu libc6-dev-arm64-cross", arm.Description);
        Assert.DoesNotContain("lacks clang", arm.Description); // clang-14 counts
        Assert.True(probe.Probe("linux-x64").Available);
    }

    [Fact]
    public void Arm64_on_an_x64_machine_with_Debian_cross_packages_is_available_with_the_clang_it_found()
    {
        var probe = Machine(Architecture.X64, ["gcc", "clang-14", "aarch64-linux-gnu-ld", "aarch64-linux-gnu-objcopy"],
            ["/usr/aarch64-linux-gnu/lib/libc.so.6", "/usr/lib/gcc-cross/aarch64-linux-gnu"]);
        var arm = probe.Probe("linux-arm64");
        Assert.True(arm.Available, arm.Description);
        Assert.Equal(["CppCompilerAndLinker=clang-14", "ObjCopyName=aarch64-linux-gnu-objcopy"], arm.MsBuildProperties);
        Assert.Equal("clang-14 with the /usr/aarch64-linux-gnu cross libraries and aarch64-linux-gnu-ld", arm.Description);
    }

    [Fact]
    public void An_explicit_sysroot_and_lld_are_used()
    {
        var probe = Machine(Architecture.X64, ["clang", "ld.lld", "llvm-objcopy"], ["/opt/arm64-root"],
            new() { ["LAMINA_SYSROOT_ARM64"] = "/opt/arm64-root" });
        var arm = probe.Probe("linux-arm64");
        Assert.True(arm.Available, arm.Description);
        Assert.Equal(["SysRoot=/opt/arm64-root", "LinkerFlavor=lld"], arm.MsBuildProperties);

        var missing = Machine(Architecture.X64, ["clang", "ld.lld"], [], new() { ["LAMINA_SYSROOT_ARM64"] = "/opt/none" }).Probe("linux-arm64");
        Assert.False(missing.Available);
        Assert.Contains("the sysroot LAMINA_SYSROOT_ARM64=/opt/none (not found)", missing.Description);
    }

    [Fact]
    public void The_native_architecture_needs_clang_or_gcc()
    {
        Assert.Equal("clang", Machine(Architecture.X64, ["clang", "gcc", "llvm-objcopy"]).Probe("linux-x64").Description);
        var gcc = Machine(Architecture.X64, ["gcc"]).Probe("linux-x64");
        Assert.True(gcc.Available);
        Assert.Equal(["StripSymbols=false"], gcc.MsBuildProperties); // no objcopy: keep the symbols rather than fail
        var none = Machine(Architecture.X64, []).Probe("linux-x64");
        Assert.False(none.Available);
        Assert.Contains("clang or gcc on PATH", none.Description);
        Assert.True(Machine(Architecture.Arm64, ["gcc", "objcopy"]).Probe("linux-arm64").Available);
        Assert.False(Machine(Architecture.Arm64, ["gcc", "objcopy"]).Probe("linux-x64").Available);
    }

    [Fact]
    public void A_non_Linux_machine_cannot_publish_native_AOT_for_Linux()
    {
        var probe = Machine(Architecture.X64, ["clang"], linux: false);
        Assert.False(probe.Probe("linux-x64").Available);
        Assert.Contains("a Linux build machine", probe.Probe("linux-x64").Description);
    }
}
