/**
 * The shop's world: categories with Chinese product names and price points, cities, names. The
 * product list is built in TypeScript (a few hundred rows) with seeded draws for launch dates
 * and costs; everything per customer or per order is drawn in SQL.
 */
import { quoteLiteral } from "../engine/adapters/adapter.ts";
import { mulberry32 } from "./random.ts";

export const CATEGORIES = ["女装", "美妆", "母婴", "3C", "食品"] as const;
export type Category = (typeof CATEGORIES)[number];

/** Share of customers whose favourite category it is. */
export const CATEGORY_MIX: Record<Category, number> = {
  女装: 0.3,
  美妆: 0.25,
  母婴: 0.15,
  "3C": 0.1,
  食品: 0.2,
};

/**
 * CATEGORY_MIX keyed by category number (the 0-based position in CATEGORIES): the generator
 * carries categories as numbers and names them only in the files.
 */
export const CATEGORY_NUMBER_MIX: Record<string, number> = Object.fromEntries(
  CATEGORIES.map((category, number) => [String(number), CATEGORY_MIX[category]]),
);

/** Cost of goods as a share of the shelf price, per category (before a ±15% product draw). */
export const COST_RATIO: Record<Category, number> = {
  女装: 0.38,
  美妆: 0.3,
  母婴: 0.55,
  "3C": 0.72,
  食品: 0.58,
};

/** Base items: name and shelf price (CNY). One name holds markup, one a comma and quotes, on purpose. */
const BASE_ITEMS: Record<Category, [string, number][]> = {
  女装: [
    ["法式碎花连衣裙", 299],
    ["羊毛针织开衫", 399],
    ["高腰阔腿裤", 189],
    ["真丝衬衫", 459],
    ["双面羊绒大衣", 1299],
    ["修身牛仔裤", 229],
    ["冰丝防晒衣", 129],
    ["百褶半身裙", 169],
    ["小香风外套", 599],
    ["纯棉短袖T恤", 79],
    ["轻薄羽绒服", 699],
    ["针织吊带背心", 59],
  ],
  美妆: [
    ["玻尿酸补水面膜 10片", 99],
    ["氨基酸洁面乳", 79],
    ["小棕瓶修护精华 50ml", 699],
    ["清爽防晒霜 SPF50+ PA++++", 169],
    ["丝绒哑光口红", 259],
    ["持妆气垫粉底", 329],
    ["淡纹紧致眼霜", 459],
    ["温和卸妆油", 149],
    ["烟酰胺身体乳", 89],
    ["木质调香水 50ml", 899],
    ["控油散粉", 129],
    ["润唇膏", 39],
  ],
  母婴: [
    ["婴儿纸尿裤 L码 3包", 259],
    ["有机高铁米粉", 89],
    ["婴儿手口湿巾 80抽×6", 59],
    ["儿童保温杯 <316不锈钢> 500ml", 129],
    ["宝宝洗护套装", 159],
    ["轻便婴儿推车", 899],
    ["宽口径玻璃奶瓶", 119],
    ["儿童绘本（全10册）", 149],
    ["孕妇护腰枕", 199],
    ["婴儿连体衣 3件装", 129],
    ["安抚奶嘴 2只装", 49],
    ["儿童安全座椅", 1299],
  ],
  "3C": [
    ["真无线蓝牙耳机", 399],
    ["65W 氮化镓充电器", 149],
    ["编织数据线 1.5m", 39],
    ["移动电源 20000mAh", 179],
    ["运动智能手表", 999],
    ["87键机械键盘", 349],
    ["静音无线鼠标", 99],
    ["平板电脑保护套", 79],
    ["智能音箱", 299],
    ["主动降噪头戴耳机", 1999],
    ["4K 运动相机", 2499],
    ["手机支架", 19.9],
  ],
  食品: [
    ["每日坚果 30袋", 129],
    ["挂耳咖啡 20包", 69],
    ["云南普洱茶饼 357g", 199],
    ["五常大米 5kg", 89],
    ["风干牛肉干 500g", 99],
    ["进口燕麦片 1kg", 49],
    ["百花蜂蜜 500g", 59],
    ['零食大礼包, 含"网红"薯片', 79],
    ["阳澄湖大闸蟹礼券", 599],
    ["流心奶黄月饼礼盒", 269],
    ["螺蛳粉 5袋", 39],
    ["麻辣辣条 10包", 9.9],
  ],
};

/** Variants of every base item: name suffix and price multiplier. */
const VARIANTS: [string, number][] = [
  ["", 1],
  [" 升级款", 1.3],
  [" 两件装", 1.85],
];

export interface Product {
  product_id: string;
  name: string;
  category: Category;
  price: number;
  unit_cost: number | null;
  /** Launch day relative to the period start (negative: before it). */
  launchedDay: number;
  /** For a product launched inside the period: the older product sold in its place before. */
  predecessorId: string | null;
}

/** Price rounded the way shops do: 9.9, 39, 129, 1299. */
function shelfPrice(value: number): number {
  if (value < 20) return Math.round(value) - 0.1;
  return Math.round(value / 10) * 10 - 1;
}

/**
 * The product list: every base item in every variant, launched before the period, plus a new
 * edition (1.15x the price, "YYYY新款") of every fourth item launched inside it. About 5% of
 * products have no recorded cost.
 */
export function buildProducts(seed: number, periodDays: number): Product[] {
  const random = mulberry32(seed ^ 0x5eed);
  const products: Product[] = [];
  let next = 10001;
  // Shelf prices are unique within a category: an item's product is found by price (orders.ts).
  const taken = new Set<string>();
  const unique = (category: Category, price: number) => {
    let value = price;
    while (taken.has(`${category}|${value}`)) value = Math.round((value + (value < 20 ? 1 : 10)) * 100) / 100;
    taken.add(`${category}|${value}`);
    return value;
  };
  const cost = (category: Category, price: number) =>
    random() < 0.05 ? null : Math.round(price * COST_RATIO[category] * (0.85 + 0.3 * random()) * 100) / 100;
  for (const category of CATEGORIES) {
    BASE_ITEMS[category].forEach(([name, basePrice], index) => {
      for (const [suffix, multiplier] of VARIANTS) {
        const price = unique(category, multiplier === 1 ? basePrice : shelfPrice(basePrice * multiplier));
        const id = `SKU${next++}`;
        products.push({
          product_id: id,
          name: `${name}${suffix}`,
          category,
          price,
          unit_cost: cost(category, price),
          launchedDay: -Math.floor(30 + random() * 640),
          predecessorId: null,
        });
        if (suffix === "" && index % 4 === 1) {
          const launchedDay = Math.floor(60 + random() * (periodDays - 120));
          const year = 2023 + Math.floor(launchedDay / 365);
          const newPrice = unique(category, shelfPrice(price * 1.15));
          products.push({
            product_id: `SKU${next++}`,
            name: `${name} ${year}新款`,
            category,
            price: newPrice,
            unit_cost: cost(category, newPrice),
            launchedDay,
            predecessorId: id,
          });
        }
      }
    });
  }
  return products;
}

/** The SQL creating `demo_products` (all columns, the shelf price included). */
export function productsSql(products: Product[]): string {
  const values = products
    .map(
      (p) =>
        `(${quoteLiteral(p.product_id)}, ${quoteLiteral(p.name)}, ${quoteLiteral(p.category)}, ${p.price}, ${p.unit_cost ?? "NULL"}, ${p.launchedDay}, ${p.predecessorId ? quoteLiteral(p.predecessorId) : "NULL"})`,
    )
    .join(",\n");
  return `create or replace table demo_products (product_id VARCHAR, name VARCHAR, category VARCHAR, price DECIMAL(18,2), unit_cost DECIMAL(18,2), launched_day INTEGER, predecessor_id VARCHAR);
insert into demo_products values ${values};`;
}

export const CITIES: Record<string, number> = {
  上海: 0.11,
  北京: 0.09,
  杭州: 0.08,
  深圳: 0.08,
  广州: 0.07,
  成都: 0.06,
  南京: 0.05,
  武汉: 0.05,
  苏州: 0.05,
  重庆: 0.04,
  西安: 0.04,
  长沙: 0.04,
  天津: 0.03,
  郑州: 0.03,
  宁波: 0.03,
  厦门: 0.03,
  青岛: 0.03,
  合肥: 0.03,
  昆明: 0.02,
  佛山: 0.02,
};

export const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈";
export const GIVEN_NAME_CHARACTERS =
  "芳娜敏静丽艳娟霞秀英华慧巧美玉婷雪琳晶欣怡佳琪梦涵伟强磊军洋勇杰涛明超刚平辉鹏浩宇轩博文子";
export const PHONE_PREFIXES = [
  "138",
  "139",
  "136",
  "135",
  "158",
  "159",
  "186",
  "187",
  "188",
  "177",
  "199",
  "150",
];
