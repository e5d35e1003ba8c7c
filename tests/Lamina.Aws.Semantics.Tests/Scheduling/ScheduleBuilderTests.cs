using Lamina.Aws.Semantics.Scheduling;

namespace Lamina.Aws.Semantics.Tests.Scheduling;

public sealed class ScheduleBuilderTests
{
    public static TheoryData<TimeSpan, string> Rates => new()
    {
        { TimeSpan.FromMinutes(1), "rate(1 minute)" },
        { TimeSpan.FromMinutes(5), "rate(5 minutes)" },
        { TimeSpan.FromMinutes(90), "rate(90 minutes)" },
        { TimeSpan.FromHours(1), "rate(1 hour)" },
        { TimeSpan.FromHours(2), "rate(2 hours)" },
        { TimeSpan.FromHours(36), "rate(36 hours)" },
        { TimeSpan.FromHours(24), "rate(1 day)" },
        { TimeSpan.FromDays(7), "rate(7 days)" },
    };

    [Theory]
    [MemberData(nameof(Rates))]
    public void Rate_from_a_TimeSpan_uses_the_largest_exact_unit(TimeSpan interval, string expected)
    {
        var rate = ScheduleExpression.Rate(interval);
        Assert.Equal(expected, rate.ToString());
        Assert.Equal(interval, rate.Interval);
        Assert.Equal(rate, ScheduleExpression.Parse(expected));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    [InlineData(30)]
    [InlineData(90)]
    [InlineData(3601)]
    public void Rate_rejects_intervals_that_are_not_positive_whole_minutes(int seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleExpression.Rate(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Rate_from_value_and_unit()
    {
        Assert.Equal("rate(1 hour)", ScheduleExpression.Rate(1, RateUnit.Hour).ToString());
        Assert.Equal("rate(3 days)", ScheduleExpression.Rate(3, RateUnit.Day).ToString());
        Assert.Equal(TimeSpan.FromMinutes(15), ScheduleExpression.Rate(15, RateUnit.Minute).Interval);
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleExpression.Rate(0, RateUnit.Minute));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleExpression.Rate(int.MaxValue, RateUnit.Day));
    }

    [Fact]
    public void Cron_builder_uses_the_CDK_defaults()
    {
        Assert.Equal("cron(* * * * ? *)", ScheduleExpression.Cron().ToString());
        Assert.Equal("cron(0 12 * * ? *)", ScheduleExpression.Cron(minute: "0", hour: "12").ToString());
        Assert.Equal("cron(0 9 ? * MON-FRI *)", ScheduleExpression.Cron(minute: "0", hour: "9", weekDay: "MON-FRI").ToString());
        Assert.Equal("cron(0 0 L * ? *)", ScheduleExpression.Cron(minute: "0", hour: "0", day: "L").ToString());
        Assert.Equal("cron(15 10 ? * 6L 2019-2022)",
            ScheduleExpression.Cron(minute: "15", hour: "10", weekDay: "6L", year: "2019-2022").ToString());
        Assert.Equal("cron(0 0 1 JAN,JUL ? *)", ScheduleExpression.Cron(minute: "0", hour: "0", day: "1", month: "jan,jul").ToString());
    }

    [Fact]
    public void Cron_builder_rejects_day_and_weekDay_together_and_invalid_fields()
    {
        Assert.Throws<ArgumentException>(() => ScheduleExpression.Cron(day: "1", weekDay: "MON"));
        var ex = Assert.Throws<ArgumentException>(() => ScheduleExpression.Cron(minute: "61", hour: "25"));
        Assert.Contains("minutes: value 61 is out of range 0-59", ex.Message);
        Assert.Contains("hours: value 25 is out of range 0-23", ex.Message);
    }

    [Fact]
    public void DailyAt_and_WeeklyOn()
    {
        Assert.Equal("cron(30 9 * * ? *)", ScheduleExpression.DailyAt(9, 30).ToString());
        Assert.Equal("cron(0 0 * * ? *)", ScheduleExpression.DailyAt(0, 0).ToString());
        Assert.Equal("cron(0 8 ? * MON *)", ScheduleExpression.WeeklyOn(DayOfWeek.Monday, 8, 0).ToString());
        Assert.Equal("cron(45 23 ? * SUN *)", ScheduleExpression.WeeklyOn(DayOfWeek.Sunday, 23, 45).ToString());
        Assert.Equal("cron(5 6 ? * SAT *)", ScheduleExpression.WeeklyOn(DayOfWeek.Saturday, 6, 5).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleExpression.DailyAt(24, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleExpression.DailyAt(0, 60));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleExpression.WeeklyOn((DayOfWeek)7, 0, 0));
    }

    [Fact]
    public void WeeklyOn_fires_on_that_weekday()
    {
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            var next = ScheduleExpression.WeeklyOn(day, 7, 15).Occurrences(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero)).Take(3).ToList();
            Assert.All(next, t => Assert.Equal(day, t.DayOfWeek));
            Assert.All(next, t => Assert.Equal(new TimeSpan(7, 15, 0), t.TimeOfDay));
            Assert.Equal(TimeSpan.FromDays(7), next[1] - next[0]);
        }
    }

    [Fact]
    public void At_builder()
    {
        var at = ScheduleExpression.At(new DateTime(2030, 1, 31, 9, 30, 0, DateTimeKind.Utc));
        Assert.Equal("at(2030-01-31T09:30:00)", at.ToString());
        Assert.Equal(DateTimeKind.Unspecified, at.WallClock.Kind);
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleExpression.At(new DateTime(2030, 1, 31, 9, 30, 0).AddMilliseconds(1)));
    }

    [Fact]
    public void Equality_is_on_the_canonical_text()
    {
        Assert.Equal(ScheduleExpression.Parse("cron(0 12 ? * mon *)"), ScheduleExpression.Parse("cron(0  12 ? * MON *)"));
        Assert.True(ScheduleExpression.Parse("rate(5 minutes)") == ScheduleExpression.Rate(TimeSpan.FromMinutes(5)));
        Assert.True(ScheduleExpression.Parse("rate(60 minutes)") != ScheduleExpression.Rate(TimeSpan.FromHours(1)));
        Assert.NotEqual(ScheduleExpression.Parse("cron(0 12 ? * 2 *)"), ScheduleExpression.Parse("cron(0 12 ? * MON *)"));
        Assert.Equal(ScheduleExpression.Parse("cron(0 12 ? * mon *)").GetHashCode(), ScheduleExpression.Parse("cron(0 12 ? * MON *)").GetHashCode());
    }
}
