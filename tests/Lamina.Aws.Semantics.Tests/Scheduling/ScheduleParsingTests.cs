using Lamina.Aws.Semantics.Scheduling;

namespace Lamina.Aws.Semantics.Tests.Scheduling;

public sealed class ScheduleParsingTests
{
    [Theory]
    // Examples from the EventBridge cron reference.
    [InlineData("cron(0 10 * * ? *)")]
    [InlineData("cron(15 12 * * ? *)")]
    [InlineData("cron(0 18 ? * MON-FRI *)")]
    [InlineData("cron(0 8 1 * ? *)")]
    [InlineData("cron(0/15 * * * ? *)")]
    [InlineData("cron(0/10 * ? * MON-FRI *)")]
    [InlineData("cron(0/5 8-17 ? * MON-FRI *)")]
    [InlineData("cron(0/30 20-2 ? * MON-FRI *)")]
    [InlineData("cron(5,35 14 * * ? *)")]
    [InlineData("cron(15 10 ? * 6L 2019-2022)")]
    [InlineData("cron(0 9 ? * 2#1 *)")]
    // Special characters and ranges with steps.
    [InlineData("cron(0 5 L * ? *)")]
    [InlineData("cron(0 5 LW * ? *)")]
    [InlineData("cron(0 5 15W * ? *)")]
    [InlineData("cron(0 5 1W * ? *)")]
    [InlineData("cron(0 0 ? * L *)")]
    [InlineData("cron(0 0 ? * FRIL *)")]
    [InlineData("cron(0 0 ? * FRI#3 *)")]
    [InlineData("cron(0-15/1 8-8 ? * 2,3,4,5,6,7 *)")]
    [InlineData("cron(30-30 13-13 ? * 2,4,6 *)")]
    [InlineData("cron(1-31/30 1-1 ? * 1,7 *)")]
    [InlineData("cron(0 0 1 1-12/3 ? *)")]
    [InlineData("cron(0 11-23/2 * * ? *)")]
    [InlineData("cron(0 0 1 NOV-FEB ? *)")]
    [InlineData("cron(0 0 ? * FRI-MON *)")]
    [InlineData("cron(*/59 */23 */31 */12 ? 2020/5)")]
    [InlineData("cron(0 12 ? jan,feb mon-fri *)")]
    [InlineData("cron(0 0 l * ? *)")]
    [InlineData("cron(0 0 ? JAN/2 SUN 2030-2040/3)")]
    [InlineData("cron(0\t0  * * ? *)")]
    [InlineData("cron(59 23 31 12 ? 2199)")]
    [InlineData("cron(0 0 1 1 ? 1970)")]
    // Rates.
    [InlineData("rate(1 minute)")]
    [InlineData("rate(5 minutes)")]
    [InlineData("rate(1 hour)")]
    [InlineData("rate(2 hours)")]
    [InlineData("rate(1 day)")]
    [InlineData("rate(7 days)")]
    // One-time schedules.
    [InlineData("at(2030-01-31T09:30:00)")]
    [InlineData("at(2028-02-29T23:59:59)")]
    public void Accepts_valid_expressions(string text)
    {
        Assert.True(ScheduleExpression.TryParse(text, out var expression, out var errors), string.Join("; ", errors));
        Assert.NotNull(expression);
        Assert.Empty(errors);

        // The canonical text parses back to an equal expression.
        var reparsed = ScheduleExpression.Parse(expression.ToString());
        Assert.Equal(expression, reparsed);
        Assert.Equal(expression.ToString(), reparsed.ToString());
    }

    [Theory]
    [InlineData("cron(0 12 ? * 8 *)", "day-of-week: value 8 is out of range 1-7 (SUN-SAT)")]
    [InlineData("cron(0 12 ? * 0 *)", "day-of-week: value 0 is out of range 1-7 (SUN-SAT)")]
    [InlineData("cron(0 12 ? * MON-8 *)", "day-of-week: value 8 is out of range 1-7 (SUN-SAT)")]
    [InlineData("cron(60 * * * ? *)", "minutes: value 60 is out of range 0-59")]
    [InlineData("cron(0 24 * * ? *)", "hours: value 24 is out of range 0-23")]
    [InlineData("cron(0 0 32 * ? *)", "day-of-month: value 32 is out of range 1-31")]
    [InlineData("cron(0 0 0 * ? *)", "day-of-month: value 0 is out of range 1-31")]
    [InlineData("cron(0 0 32W * ? *)", "day-of-month: value 32 is out of range 1-31")]
    [InlineData("cron(0 0 1 13 ? *)", "month: value 13 is out of range 1-12 (JAN-DEC)")]
    [InlineData("cron(0 0 1 * ? 1969)", "year: value 1969 is out of range 1970-2199")]
    [InlineData("cron(0 0 1 * ? 2200)", "year: value 2200 is out of range 1970-2199")]
    [InlineData("cron(0 0 1 FOO ? *)", "month: 'FOO' is not a month name or number; allowed values: 1-12 (JAN-DEC)")]
    [InlineData("cron(0 0 ? * FUN *)", "day-of-week: 'FUN' is not a day name or number; allowed values: 1-7 (SUN-SAT)")]
    [InlineData("cron(0 x * * ? *)", "hours: 'X' is not a number; allowed values: 0-23")]
    [InlineData("cron(*/60 * * * ? *)", "minutes: increment 60 in '*/60' is out of range 1-59")]
    [InlineData("cron(0 */24 * * ? *)", "hours: increment 24 in '*/24' is out of range 1-23")]
    [InlineData("cron(*/0 * * * ? *)", "minutes: the increment after '/' must be a positive integer; '*/0' is not valid")]
    [InlineData("cron(0 10 * * * *)", "cron: exactly one of day-of-month and day-of-week must be '?' (day-of-month is '*', day-of-week is '*')")]
    [InlineData("cron(0 10 1 * MON *)", "cron: exactly one of day-of-month and day-of-week must be '?' (day-of-month is '1', day-of-week is 'MON')")]
    [InlineData("cron(0 10 ? * ? *)", "cron: exactly one of day-of-month and day-of-week must be '?' (both are '?')")]
    [InlineData("cron(0 10 * * ?)", "cron: expected 6 fields (minutes hours day-of-month month day-of-week year) separated by white space, found 5; the year field is required")]
    [InlineData("cron(0 0 10 * * ? *)", "cron: expected 6 fields (minutes hours day-of-month month day-of-week year) separated by white space, found 7")]
    [InlineData("cron(0 10 * * ? *", "cron: missing closing ')'; expected cron(minutes hours day-of-month month day-of-week year)")]
    [InlineData("cron(0 0 ? * 3#1,6#3 *)", "day-of-week: with '#' only one expression is allowed in the field (e.g. 3#2); '3#1,6#3' is not valid")]
    [InlineData("cron(0 0 ? * 3#6 *)", "day-of-week: the occurrence after '#' must be 1-5 (e.g. 3#2 = second Tuesday); got '6' in '3#6'")]
    [InlineData("cron(0 0 ? * 3#0 *)", "day-of-week: the occurrence after '#' must be 1-5 (e.g. 3#2 = second Tuesday); got '0' in '3#0'")]
    [InlineData("cron(0 0 ? * 1/2 *)", "day-of-week: increments ('/') are not allowed in the day-of-week field (allowed wildcards: , - * ? L #); '1/2' is not valid")]
    [InlineData("cron(0 0 ? * 6L,2 *)", "day-of-week: 'L' cannot be combined with other values in a list ('6L,2'); use a single nL (e.g. 6L = last Friday)")]
    [InlineData("cron(0 0 ? * MON-FRIL *)", "day-of-week: 'L' must stand alone (Saturday) or follow a single day (e.g. 6L or FRIL = last Friday of the month); 'MON-FRIL' is not valid")]
    [InlineData("cron(0 0 L,15 * ? *)", "day-of-month: 'L' and 'W' cannot be combined with other values in a list ('L,15'); use a single L, LW or nW")]
    [InlineData("cron(0 0 1-5W * ? *)", "day-of-month: 'W' must follow a single day number, e.g. 15W (nearest weekday to the 15th); '1-5W' is not valid")]
    [InlineData("cron(0 0 L-3 * ? *)", "day-of-month: 'L-3': offsets from the last day (L-n) are not part of EventBridge's cron syntax; allowed: L, LW, nW")]
    [InlineData("cron(0 0 3L * ? *)", "day-of-month: 'L' must stand alone (last day of the month) or be written LW (last weekday); '3L' is not valid")]
    [InlineData("cron(? 0 * * ? *)", "minutes: '?' is only allowed, alone, in the day-of-month or day-of-week field; '?' is not valid")]
    [InlineData("cron(0 L * * ? *)", "hours: 'L' is only allowed in the day-of-month and day-of-week fields; 'L' is not valid")]
    [InlineData("cron(0 0 1 * ? 5W)", "year: 'W' is only allowed in the day-of-month field (e.g. 15W); '5W' is not valid")]
    [InlineData("cron(0 0 1#2 * ? *)", "day-of-month: '#' is only allowed in the day-of-week field, as a single expression (e.g. 3#2); '1#2' is not valid")]
    [InlineData("cron(1,,2 * * * ? *)", "minutes: empty element in list '1,,2'")]
    [InlineData("cron(1- * * * ? *)", "minutes: a range must be written start-end (e.g. 0-30); '1-' is not valid")]
    [InlineData("cron(/5 * * * ? *)", "minutes: '/' must follow '*' or a start value (e.g. 0/15); '/5' is not valid")]
    [InlineData("cron(0 0 1 * ? 2030-2020)", "year: range 2030-2020 in '2030-2020' is reversed; year ranges must be ascending")]
    [InlineData("Cron(0 10 * * ? *)", "schedule expression must start with 'cron(', 'rate(' or 'at(' (lower case)")]
    [InlineData(" cron(0 10 * * ? *)", "schedule expression has leading or trailing white space")]
    [InlineData("", "schedule expression is empty; expected cron(...), rate(...) or at(...)")]
    [InlineData("rate(1 minutes)", "rate: a value of 1 requires the singular unit 'minute', not 'minutes'")]
    [InlineData("rate(1 hours)", "rate: a value of 1 requires the singular unit 'hour', not 'hours'")]
    [InlineData("rate(5 minute)", "rate: a value of 5 requires the plural unit 'minutes', not 'minute'")]
    [InlineData("rate(5 day)", "rate: a value of 5 requires the plural unit 'days', not 'day'")]
    [InlineData("rate(0 minutes)", "rate: value '0' must be a positive integer")]
    [InlineData("rate(-1 minutes)", "rate: value '-1' must be a positive integer")]
    [InlineData("rate(1.5 hours)", "rate: value '1.5' must be a positive integer")]
    [InlineData("rate(30 seconds)", "rate: unit 'seconds' is not one of minute, minutes, hour, hours, day, days")]
    [InlineData("rate(5 Minutes)", "rate: unit 'Minutes' is not one of minute, minutes, hour, hours, day, days")]
    [InlineData("rate(5)", "rate: expected two fields 'value unit' separated by white space (e.g. rate(5 minutes)), found 1")]
    [InlineData("rate(99999999999 days)", "rate: value 99999999999 days is too large")]
    [InlineData("at(2023-02-30T10:00:00)", "at: '2023-02-30T10:00:00' is not a valid calendar date and time (month 01-12, day within the month, hours 00-23, minutes and seconds 00-59)")]
    [InlineData("at(2023-01-01T24:00:00)", "at: '2023-01-01T24:00:00' is not a valid calendar date and time (month 01-12, day within the month, hours 00-23, minutes and seconds 00-59)")]
    [InlineData("at(2023-01-01 10:00:00)", "at: expected at(yyyy-mm-ddThh:mm:ss), e.g. at(2030-01-31T09:30:00); got 'at(2023-01-01 10:00:00)'")]
    [InlineData("at(2023-1-1T10:00:00)", "at: expected at(yyyy-mm-ddThh:mm:ss), e.g. at(2030-01-31T09:30:00); got 'at(2023-1-1T10:00:00)'")]
    public void Rejects_invalid_expressions_with_a_precise_message(string text, string expectedError)
    {
        Assert.False(ScheduleExpression.TryParse(text, out var expression, out var errors));
        Assert.Null(expression);
        Assert.Contains(expectedError, errors);
    }

    [Fact]
    public void Reports_every_invalid_field_at_once()
    {
        Assert.False(ScheduleExpression.TryParse("cron(60 24 32 13 ? 1969)", out _, out var errors));
        Assert.Equal(
        [
            "minutes: value 60 is out of range 0-59",
            "hours: value 24 is out of range 0-23",
            "day-of-month: value 32 is out of range 1-31",
            "month: value 13 is out of range 1-12 (JAN-DEC)",
            "year: value 1969 is out of range 1970-2199",
        ], errors);
    }

    [Fact]
    public void Parse_throws_a_FormatException_listing_all_errors()
    {
        var exception = Assert.Throws<FormatException>(() => ScheduleExpression.Parse("cron(60 10 * * * *)"));
        Assert.Contains("cron(60 10 * * * *)", exception.Message);
        Assert.Contains("minutes: value 60 is out of range 0-59", exception.Message);
        Assert.Contains("cron: exactly one of day-of-month and day-of-week must be '?'", exception.Message);
    }

    [Fact]
    public void Parsed_expressions_expose_their_parts()
    {
        var cron = Assert.IsType<CronExpression>(ScheduleExpression.Parse("cron(0/5  8-17 ? jan-mar mon-fri *)"));
        Assert.Equal(ScheduleKind.Cron, cron.Kind);
        Assert.Equal(("0/5", "8-17", "?", "JAN-MAR", "MON-FRI", "*"), (cron.Minutes, cron.Hours, cron.DayOfMonth, cron.Month, cron.DayOfWeek, cron.Year));
        Assert.Equal("cron(0/5 8-17 ? JAN-MAR MON-FRI *)", cron.ToString());
        Assert.True(cron.IsSupportedByEventBridgeRules);

        var rate = Assert.IsType<RateExpression>(ScheduleExpression.Parse("rate(90  minutes)"));
        Assert.Equal((90, RateUnit.Minute, TimeSpan.FromMinutes(90)), (rate.Value, rate.Unit, rate.Interval));
        Assert.Equal("rate(90 minutes)", rate.ToString());

        var at = Assert.IsType<AtExpression>(ScheduleExpression.Parse("at(2030-01-31T09:30:15)"));
        Assert.Equal(new DateTime(2030, 1, 31, 9, 30, 15), at.WallClock);
        Assert.Equal(DateTimeKind.Unspecified, at.WallClock.Kind);
        Assert.False(at.IsSupportedByEventBridgeRules);
    }

    [Fact]
    public void Matches_reads_every_field_in_wall_clock_time()
    {
        var cron = Assert.IsType<CronExpression>(ScheduleExpression.Parse("cron(30 9 ? * 2#1 2025)"));
        Assert.True(cron.Matches(new DateTime(2025, 6, 2, 9, 30, 0)));   // first Monday of June 2025
        Assert.True(cron.Matches(new DateTime(2025, 6, 2, 9, 30, 59)));  // seconds are ignored
        Assert.False(cron.Matches(new DateTime(2025, 6, 9, 9, 30, 0)));  // second Monday
        Assert.False(cron.Matches(new DateTime(2025, 6, 2, 9, 31, 0)));
        Assert.False(cron.Matches(new DateTime(2026, 6, 1, 9, 30, 0)));  // first Monday, wrong year
    }
}
